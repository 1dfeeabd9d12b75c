// Package cnid checks and generates the Chinese identifiers the one form
// carries: unified social credit codes (GB 32100-2015), resident identity
// numbers (GB 11643-1999), mobile numbers, postcodes, and the county-level
// administrative divisions of Liaoning (GB/T 2260).
//
// Every function is pure and safe for concurrent use; none panics on any
// input. Checks are exact and case-sensitive: a lower-case check letter is
// rejected, so that what is stored is always the canonical form.
package cnid
