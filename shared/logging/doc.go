// Package logging builds the service's logrus logger: JSON lines carrying
// the request and application IDs, with resident ID numbers and mobile
// numbers masked wherever they appear in an entry.
//
// Masking happens twice on purpose. A hook masks the message and every
// string-like field while the values still have their types; the
// formatter then masks the finished JSON line, which catches numbers
// hidden in nested maps, structs or errors the hook cannot see into. Either
// alone leaves a gap; together nothing reaches the log sink unmasked.
package logging
