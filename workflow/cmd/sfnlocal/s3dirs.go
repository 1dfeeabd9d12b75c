package main

import (
	"fmt"
	"os"
	"strings"
)

// s3Dirs is the repeatable --s3-dir bucket=PATH flag: the local folders a
// distributed Map reads its items from and writes its results to.
type s3Dirs map[string]string

func (s s3Dirs) String() string {
	parts := make([]string, 0, len(s))
	for b, p := range s {
		parts = append(parts, b+"="+p)
	}
	return strings.Join(parts, ",")
}

func (s s3Dirs) Set(v string) error {
	bucket, dir, ok := strings.Cut(v, "=")
	if !ok || bucket == "" || dir == "" {
		return fmt.Errorf("want bucket=PATH, got %q", v)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	s[bucket] = dir
	return nil
}
