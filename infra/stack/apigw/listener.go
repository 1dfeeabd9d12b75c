package apigw

import (
	"bytes"
	"net"
)

// Headers every response of the local stack carries, whoever writes it: a
// browser must not guess a type for an error page (nosniff), and no
// response, error or not, may be kept by a cache (no-store).
const (
	headerNoSniff = "X-Content-Type-Options"
	headerCache   = "Cache-Control"
	valueNoSniff  = "nosniff"
	valueNoStore  = "no-store"
)

// SecureListener wraps ln so that the responses net/http writes itself,
// before any handler runs, carry the same two headers as every other
// response: 400 for a malformed request, 431 for oversized headers, 501
// for an unknown transfer coding, 417 for an unknown Expect. net/http
// writes these straight to the connection (there is no hook: neither
// http.Server's fields nor a handler see them), so the only place to add a
// header is the connection's Write.
//
// A Write is changed only when it holds a whole response head (status line
// 2xx–5xx, header lines, the blank line) that lacks X-Content-Type-Options.
// Every response that goes through NewHTTPHandler already has it, so in
// practice only net/http's own answers are touched; a body could only be
// mistaken for a head if it held CRLF-separated header lines at the start
// of a write, which JSON never does.
func SecureListener(ln net.Listener) net.Listener { return secureListener{ln} }

type secureListener struct{ net.Listener }

func (l secureListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &secureConn{Conn: c}, nil
}

// secureConn adds the headers to response heads written without them.
type secureConn struct{ net.Conn }

// CloseWrite keeps net/http's half-close (it sends a 431 and then waits
// for the client to stop writing) working through the wrapper.
func (c *secureConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

func (c *secureConn) Write(p []byte) (int, error) {
	q, changed := addSecurityHeaders(p)
	if !changed {
		return c.Conn.Write(p)
	}
	n, err := c.Conn.Write(q)
	if err != nil {
		// Report no more of p than can have reached the peer.
		return min(n, len(p)), err
	}
	return len(p), nil
}

var (
	crlf        = []byte("\r\n")
	colon       = []byte(":")
	noSniffName = []byte(headerNoSniff)
	headEnd     = []byte("\r\n\r\n")
	extraHead   = []byte("\r\n" + headerCache + ": " + valueNoStore + "\r\n" + headerNoSniff + ": " + valueNoSniff)
)

// addSecurityHeaders returns p with the two headers inserted at the end
// of its response head, or p unchanged when p does not start with a whole
// final response head or already has X-Content-Type-Options (then it came
// through the adapter, which decided its Cache-Control too).
func addSecurityHeaders(p []byte) ([]byte, bool) {
	if !isStatusLine(p) {
		return p, false
	}
	end := bytes.Index(p, headEnd)
	if end < 0 {
		return p, false
	}
	head := p[:end]
	// Every response head passes here: look at it without allocating.
	_, rest, hasHeaders := bytes.Cut(head, crlf)
	for hasHeaders {
		var l []byte
		l, rest, hasHeaders = bytes.Cut(rest, crlf)
		name, _, ok := bytes.Cut(l, colon)
		if !ok || len(name) == 0 || bytes.ContainsAny(name, " \t") {
			return p, false // not a header line: not a response head
		}
		if bytes.EqualFold(name, noSniffName) {
			return p, false
		}
	}
	out := make([]byte, 0, len(p)+len(extraHead))
	out = append(out, head...)
	out = append(out, extraHead...)
	out = append(out, p[end:]...)
	return out, true
}

// isStatusLine reports whether p starts with "HTTP/1.x NNN " for a final
// (not 1xx) status.
func isStatusLine(p []byte) bool {
	const prefix = "HTTP/1."
	if len(p) < len(prefix)+6 || string(p[:len(prefix)]) != prefix {
		return false
	}
	v, sp, code, sp2 := p[7], p[8], p[9:12], p[12]
	if (v != '0' && v != '1') || sp != ' ' || (sp2 != ' ' && sp2 != '\r') {
		return false
	}
	for _, d := range code {
		if d < '0' || d > '9' {
			return false
		}
	}
	return code[0] >= '2' && code[0] <= '5'
}
