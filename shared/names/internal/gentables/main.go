// Command gentables writes the two character tables shared/names embeds,
// so that the check links neither a conversion library nor a pinyin
// dictionary (both would add megabytes to the Lambda bootstraps):
//
//   - traditional.tsv: every CJK unified ideograph that OpenCC's t2s
//     conversion changes and that is not itself a GB 2312 character (so
//     乾, 著 and 覆, standard in some words, are not flagged), with its
//     simplified form;
//   - pinyin.tsv: the GB 2312 characters grouped by their first reading in
//     go-pinyin, tones dropped.
//
// It is its own module so the main module does not require either
// library. Run it from this directory: go run . (it writes ../../).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/longbridgeapp/opencc"
	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func main() {
	t2s, err := opencc.New("t2s")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	enc := simplifiedchinese.HZGB2312.NewEncoder()
	inGB := func(r rune) bool {
		_, err := enc.String(string(r))
		return err == nil
	}
	var trad strings.Builder
	trad.WriteString("# Traditional character\tsimplified form. Written by internal/gentables (OpenCC t2s v0.3.13, GB 2312 characters excluded); do not edit.\n")
	byPy := map[string][]rune{}
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		s := string(r)
		out, _ := t2s.Convert(s)
		if out != s && !inGB(r) && len([]rune(out)) == 1 {
			fmt.Fprintf(&trad, "%s\t%s\n", s, out)
		}
		if inGB(r) {
			if py := pinyin.LazyPinyin(s, pinyin.NewArgs()); len(py) == 1 && py[0] != "" {
				byPy[py[0]] = append(byPy[py[0]], r)
			}
		}
	}
	keys := make([]string, 0, len(byPy))
	for k := range byPy {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var p strings.Builder
	p.WriteString("# Toneless pinyin\tthe GB 2312 characters read so (first reading). Written by internal/gentables (go-pinyin v0.21.0); do not edit.\n")
	for _, k := range keys {
		fmt.Fprintf(&p, "%s\t%s\n", k, string(byPy[k]))
	}
	for name, body := range map[string]string{"traditional.tsv": trad.String(), "pinyin.tsv": p.String()} {
		if err := os.WriteFile(filepath.Join("..", "..", name), []byte(body), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
