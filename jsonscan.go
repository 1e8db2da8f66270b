package jwt

// The scanner of the strict JSON reader (RFC 8259) behind Decode and parseHeader: it reads
// tokens out of one JSON text (member names, strings, numbers, literals) and steps over
// whole values, and knows nothing of Go types. What it refuses, encoding/json lets through:
// strings that are not valid UTF-8 or hold an unpaired surrogate, control characters and
// bad escapes in strings, nesting deeper than maxDepth, data after the top-level value, and,
// with the detector of fold.go, two members of one object whose names are equal exactly or
// under encoding/json's case folding. The binder (jsonbind.go) calls it to read values into
// their destination.
//
// Offsets: d.i is always the offset of the next byte to read. A method that reports false
// without an error (compactName, expectedName, plainDate) has consumed nothing, so its
// caller can read the same bytes another way.

import (
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects in a header or claims set, the claims
// set itself included: its members are at depth 1. The writer refuses what nests deeper
// (see enter), so that Encode never writes what Decode refuses.
const maxDepth = 64

// jsonError describes where a JSON text was refused. It never quotes the text.
type jsonError struct {
	off int
	msg string
}

// Error says where the text was refused, and why.
func (e *jsonError) Error() string {
	return "invalid JSON at offset " + strconv.Itoa(e.off) + ": " + e.msg
}

// errNumericDate is returned for a date claim that is not a non-negative JSON number in range.
var errNumericDate = &jsonError{msg: "date must be a non-negative number of seconds within range"}

// errLateDate is returned for a date after the year 9999 (see maxNumericDate).
var errLateDate = &jsonError{msg: "date is after the year 9999: a NumericDate counts seconds since 1970, and this one most likely counts milliseconds; the issuer must send seconds (Unix(), not UnixMilli(); Date.now()/1000 in JavaScript)"}

// decoder reads one JSON text held in s. A decoder is a value: a method that reads ahead to
// look (compareRequired, topNames, blankNames) copies it, or makes one over the same text.
type decoder struct {
	s string
	i int // offset of the next byte to read
	// depth is the number of arrays and objects open around d.i: openObject and array add
	// one, and the closing brace or bracket takes it off again.
	depth int
	// nameOff is the offset of the opening quote of the member name read last.
	nameOff int
	// required holds Expect.Claims while the claims set is read (nil otherwise): claimsSet
	// compares each member of the claims set named as one of them with its value when it
	// reaches it, counting in matched those equal and keeping in wrong the name of the first
	// that is not. As no name occurs twice in an object, matched == len(required) means that
	// every required claim is present with its value.
	required map[string]string
	matched  int
	wrong    string
	// slab, once shared is set, is where strings takes its results from (see take), so that
	// the arrays of strings of one claims set share one allocation. Decode sets it for a
	// destination read into a new value, which holds several arrays (nested objects).
	shared bool
	slab   []string
}

// syntaxError refuses the text at the current offset, saying what was wrong there.
func (d *decoder) syntaxError(what string) error {
	return &jsonError{off: d.i, msg: what}
}

// duplicateError reports a member whose name equals another's of the same object, exactly or
// under case folding.
func (d *decoder) duplicateError() error {
	return &jsonError{off: d.nameOff, msg: "duplicate member name (names equal but for case count as the same)"}
}

// skipSpace steps over JSON white space: space, tab, line feed and carriage return.
func (d *decoder) skipSpace() {
	for d.i < len(d.s) && d.s[d.i] <= ' ' {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// end checks that only white space follows the value just read.
func (d *decoder) end() error {
	d.skipSpace()
	if d.i != len(d.s) {
		return d.syntaxError("data after the top-level value")
	}
	return nil
}

// openObject consumes '{'.
func (d *decoder) openObject() error {
	d.skipSpace()
	if d.i >= len(d.s) || d.s[d.i] != '{' {
		return d.syntaxError("expected an object")
	}
	d.i++
	d.depth++
	if d.depth > maxDepth {
		return d.syntaxError("nested too deeply")
	}
	return nil
}

// member reads the name and colon of the n-th member (counting from 0) of the object being
// read, or consumes the closing brace and reports ok == false.
func (d *decoder) member(n int) (name string, ok bool, err error) {
	d.skipSpace()
	if d.i >= len(d.s) {
		return "", false, d.syntaxError("unexpected end in object")
	}
	if d.s[d.i] == '}' {
		d.i++
		d.depth--
		return "", false, nil
	}
	if n > 0 {
		if d.s[d.i] != ',' {
			return "", false, d.syntaxError("expected ',' or '}'")
		}
		d.i++
		d.skipSpace()
	}
	if d.i >= len(d.s) || d.s[d.i] != '"' {
		return "", false, d.syntaxError("expected a member name")
	}
	d.nameOff = d.i
	if name, err = d.str(); err != nil {
		return "", false, err
	}
	d.skipSpace()
	if d.i >= len(d.s) || d.s[d.i] != ':' {
		return "", false, d.syntaxError("expected ':'")
	}
	d.i++
	d.skipSpace()
	return name, true, nil
}

// compactName reads the name and colon of the n-th member in the form compact JSON writes
// (`"name":` or `,"name":` with a plain ASCII name and no white space) and reports false,
// consuming nothing, for any other form, which member then reads.
func (d *decoder) compactName(n int) (string, bool) {
	s, i := d.s, d.i
	if n > 0 {
		if i >= len(s) || s[i] != ',' {
			return "", false
		}
		i++
	}
	if i >= len(s) || s[i] != '"' {
		return "", false
	}
	i++
	j := plainRun(s, i)
	if j+1 >= len(s) || s[j] != '"' || s[j+1] != ':' {
		return "", false
	}
	d.nameOff = i - 1
	d.i = j + 2
	d.skipSpace()
	return s[i:j], true
}

// expectedName reads the name and colon of the n-th member when they are spelled exactly
// as f.quoted (`"name":`, after a ',' unless n is 0), and reports false, consuming nothing,
// otherwise.
func (d *decoder) expectedName(n int, f *field) bool {
	s, i := d.s, d.i
	if n > 0 {
		if i >= len(s) || s[i] != ',' {
			return false
		}
		i++
	}
	q := f.quoted
	if len(s)-i < len(q) {
		return false
	}
	if len(s)-i >= 8 {
		// The first eight bytes in one comparison, as most names fit in them.
		t := s[i : i+8]
		w := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
		if w&f.mask8 != f.head8 || len(q) > 8 && s[i+8:i+len(q)] != q[8:] {
			return false
		}
	} else if s[i:i+len(q)] != q {
		return false
	}
	d.nameOff = i
	d.i = i + len(q)
	d.skipSpace()
	return true
}

// str reads a JSON string starting at the opening quote. Without escapes the result is a
// substring of d.s and costs no allocation.
func (d *decoder) str() (string, error) {
	s, i := d.s, d.i
	if i >= len(s) || s[i] != '"' {
		return "", d.syntaxError("expected a string")
	}
	i++
	start := i
	i = plainRun(s, i)
	if i < len(s) && s[i] == '"' {
		d.i = i + 1
		return s[start:i], nil
	}
	return d.strRest(start, i)
}

// plainRun returns the offset of the first byte at or after i that is not plain (see
// plainByte), or len(s). It looks at eight bytes at a time: a byte is not plain when it is a
// quote or a backslash (zero after XOR with that byte), a control character (below 0x20) or
// not ASCII (high bit set). Each test sets the high bit of the bytes it finds; a borrow can
// also set it in a byte above one found, never below, so the lowest bit set marks the first
// byte that is not plain.
func plainRun(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		w := word8(s[i : i+8])
		q := w ^ (ones * '"')
		b := w ^ (ones * '\\')
		stop := (q-ones)&^q | (b-ones)&^b | (w - ones*0x20) | w
		if stop &= highs; stop != 0 {
			return i + bits.TrailingZeros64(stop)/8
		}
	}
	for i < len(s) && plainByte[s[i]] {
		i++
	}
	return i
}

// word8 returns the first eight bytes of t as a little-endian word (t[0] in the low byte).
func word8(t string) uint64 {
	t = t[:8]
	return uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
		uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
}

// strRest finishes a string whose first start..j bytes were plain ASCII. It steps over each
// run of bytes that need no look (anything but a quote, a backslash or a control character)
// and checks the run's UTF-8 at once.
func (d *decoder) strRest(start, j int) (string, error) {
	for {
		k := j
		for k < len(d.s) && !stopByte[d.s[k]] {
			k++
		}
		if !utf8.ValidString(d.s[j:k]) {
			for j < k {
				r, size := utf8.DecodeRuneInString(d.s[j:k])
				if r == utf8.RuneError && size == 1 {
					break
				}
				j += size
			}
			d.i = j
			return "", d.syntaxError("invalid UTF-8 in string")
		}
		j = k
		switch {
		case j >= len(d.s):
			d.i = len(d.s)
			return "", d.syntaxError("unterminated string")
		case d.s[j] == '"':
			d.i = j + 1
			return d.s[start:j], nil
		case d.s[j] == '\\':
			return d.unescape(start, j)
		default:
			d.i = j
			return "", d.syntaxError("control character in string")
		}
	}
}

// stopByte marks the bytes that end a run in strRest: the quote, the backslash and the
// control characters.
var stopByte = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// plainByte marks the bytes a string can hold that need no further look: printable ASCII
// but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// unescape finishes a string that has escapes; start is its first byte, j the first backslash.
func (d *decoder) unescape(start, j int) (string, error) {
	b := make([]byte, 0, j-start+16)
	b = append(b, d.s[start:j]...)
	for j < len(d.s) {
		c := d.s[j]
		switch {
		case c == '"':
			d.i = j + 1
			return string(b), nil
		case c == '\\':
			if j+1 >= len(d.s) {
				d.i = j
				return "", d.syntaxError("unterminated string")
			}
			e := d.s[j+1]
			j += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(d.s, j)
				if !ok {
					d.i = j
					return "", d.syntaxError("invalid \\u escape")
				}
				j += 4
				if utf16.IsSurrogate(r) {
					// A high surrogate must be followed by an escaped low surrogate.
					r2, ok := rune(0), false
					if j+6 <= len(d.s) && d.s[j] == '\\' && d.s[j+1] == 'u' {
						r2, ok = hex4(d.s, j+2)
					}
					dec := utf16.DecodeRune(r, r2)
					if !ok || dec == utf8.RuneError {
						d.i = j
						return "", d.syntaxError("unpaired surrogate in string")
					}
					r = dec
					j += 6
				}
				b = utf8.AppendRune(b, r)
			default:
				d.i = j - 1
				return "", d.syntaxError("invalid escape")
			}
		case c < 0x20:
			d.i = j
			return "", d.syntaxError("control character in string")
		case c < utf8.RuneSelf:
			b = append(b, c)
			j++
		default:
			r, size := utf8.DecodeRuneInString(d.s[j:])
			if r == utf8.RuneError && size == 1 {
				d.i = j
				return "", d.syntaxError("invalid UTF-8 in string")
			}
			b = append(b, d.s[j:j+size]...)
			j += size
		}
	}
	d.i = len(d.s)
	return "", d.syntaxError("unterminated string")
}

// hex4 returns the value of the four hexadecimal digits of a \u escape at s[i:], and
// false when they are not four hexadecimal digits.
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a JSON number and returns its text.
func (d *decoder) number() (string, error) {
	start := d.i
	n := numberLen(d.s[d.i:])
	if n == 0 {
		return "", d.syntaxError("invalid number")
	}
	d.i += n
	return d.s[start:d.i], nil
}

// numberLen returns the length of the JSON number at the start of s, or 0 if there is none.
func numberLen(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		}
	default:
		return 0
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return 0
		}
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return 0
		}
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		}
	}
	return i
}

// validNumber reports whether s is exactly one JSON number.
func validNumber(s string) bool {
	return len(s) > 0 && numberLen(s) == len(s)
}

// literal consumes the literal word (true, false or null) if it is next.
func (d *decoder) literal(word string) bool {
	if len(d.s)-d.i >= len(word) && d.s[d.i:d.i+len(word)] == word {
		d.i += len(word)
		return true
	}
	return false
}

// boolean reads true or false.
func (d *decoder) boolean() (bool, error) {
	switch {
	case d.literal("true"):
		return true, nil
	case d.literal("false"):
		return false, nil
	}
	return false, d.syntaxError("expected true or false")
}

// skipValue checks the next value, whatever it is, and steps over it.
func (d *decoder) skipValue() error {
	if d.i >= len(d.s) {
		return d.syntaxError("expected a value")
	}
	switch c := d.s[d.i]; {
	case c == '"':
		_, err := d.str()
		return err
	case c == '{':
		return d.skipObject()
	case c == '[':
		return d.array(func() error { return d.skipValue() })
	case c == 't' || c == 'f':
		_, err := d.boolean()
		return err
	case c == 'n':
		if d.literal("null") {
			return nil
		}
		return d.syntaxError("invalid literal")
	default:
		_, err := d.number()
		return err
	}
}

// skipObject checks the object that starts at d.i, members with names equal exactly or
// under folding refused, and steps over it.
func (d *decoder) skipObject() error {
	if err := d.openObject(); err != nil {
		return err
	}
	var names objectNames
	for n := 0; ; n++ {
		name, ok, err := d.member(n)
		if err != nil {
			return err
		}
		if !ok {
			names.set.release()
			return nil
		}
		if _, dup := names.other(d, nil, name); dup {
			return d.duplicateError()
		}
		if err := d.skipValue(); err != nil {
			return err
		}
	}
}

// array reads an array, calling elem with the decoder at the start of each element.
func (d *decoder) array(elem func() error) error {
	if err := d.openArray(); err != nil {
		return err
	}
	for n := 0; ; n++ {
		if more, err := d.element(n); err != nil || !more {
			return err
		}
		if err := elem(); err != nil {
			return err
		}
	}
}

// openArray consumes the '[' at d.i.
func (d *decoder) openArray() error {
	d.i++
	d.depth++
	if d.depth > maxDepth {
		return d.syntaxError("nested too deeply")
	}
	return nil
}

// element steps to the n-th element (counting from 0) of the array being read, or consumes
// the closing bracket and reports false.
func (d *decoder) element(n int) (bool, error) {
	d.skipSpace()
	if d.i >= len(d.s) {
		return false, d.syntaxError("unexpected end in array")
	}
	if d.s[d.i] == ']' {
		d.i++
		d.depth--
		return false, nil
	}
	if n > 0 {
		if d.s[d.i] != ',' {
			return false, d.syntaxError("expected ',' or ']'")
		}
		d.i++
		d.skipSpace()
	}
	return true, nil
}

// strings reads an array of strings; with nulls, a null element is read as "", as
// encoding/json reads it into a string (an Audience has no null elements: its own
// UnmarshalJSON refuses them). n, when not 0, is the number of its elements (as
// checkStrings counted them), so that the result is allocated once. Without n, the first
// elements are gathered on the stack and the result allocated when they are all read or no
// longer fit, so that a short array costs one allocation.
func (d *decoder) strings(n int, nulls bool) ([]string, error) {
	if d.i >= len(d.s) || d.s[d.i] != '[' {
		return nil, d.syntaxError("expected an array of strings")
	}
	var first [16]string
	var out []string
	k := 0 // elements in first, while out is nil
	if n > 0 {
		out = d.take(n)
	}
	if err := d.openArray(); err != nil {
		return nil, err
	}
	for i := 0; ; i++ {
		more, err := d.element(i)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		var s string
		if !nulls || !d.literal("null") {
			if s, err = d.str(); err != nil {
				return nil, err
			}
		}
		switch {
		case out == nil && k < len(first):
			first[k] = s
			k++
		case out == nil:
			out = append(make([]string, 0, 4*len(first)), first[:]...)
			fallthrough
		default:
			out = append(out, s)
		}
	}
	if out == nil {
		if k == 0 {
			return []string{}, nil
		}
		out = append(d.take(k), first[:k]...)
	}
	return out, nil
}

// take returns an empty slice with room for n strings: from d.slab when d.shared is set,
// allocating a new slab when it lacks the room, and otherwise on its own. A slice from the
// slab has its capacity cut to n, so that appending to it never writes into another.
func (d *decoder) take(n int) []string {
	if !d.shared || n > slabSize/2 {
		return make([]string, 0, n)
	}
	if cap(d.slab)-len(d.slab) < n {
		d.slab = make([]string, 0, slabSize)
	}
	i := len(d.slab)
	d.slab = d.slab[:i+n]
	return d.slab[i : i : i+n]
}

// slabSize is the number of strings of a slab (see take): 512 bytes.
const slabSize = 32

// checkStrings checks an array of strings (with null elements unless aud, see strings), or
// for aud also a lone string, keeping nothing, and returns the number of strings.
func (d *decoder) checkStrings(aud bool) (int, error) {
	if aud && d.i < len(d.s) && d.s[d.i] == '"' {
		_, err := d.str()
		return 1, err
	}
	if d.i >= len(d.s) || d.s[d.i] != '[' {
		return 0, d.syntaxError("expected an array of strings")
	}
	n := 0
	err := d.array(func() error {
		n++
		if !aud && d.literal("null") {
			return nil // "", as in strings
		}
		_, err := d.str()
		return err
	})
	return n, err
}

// audience reads aud: a string, or an array of strings (of n elements, when n is not 0: see
// strings).
func (d *decoder) audience(n int) (Audience, error) {
	if d.i < len(d.s) && d.s[d.i] == '"' {
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		return Audience{s}, nil
	}
	return d.strings(n, false)
}

// anyValue reads any value the way encoding/json does into an interface{}: objects as
// map[string]any, arrays as []any, numbers as float64.
func (d *decoder) anyValue() (any, error) {
	if d.i >= len(d.s) {
		return nil, d.syntaxError("expected a value")
	}
	switch c := d.s[d.i]; {
	case c == '"':
		return d.str()
	case c == '{':
		return d.object()
	case c == '[':
		out := []any{}
		err := d.array(func() error {
			v, err := d.anyValue()
			out = append(out, v)
			return err
		})
		return out, err
	case c == 't' || c == 'f':
		return d.boolean()
	case c == 'n':
		if d.literal("null") {
			return nil, nil
		}
		return nil, d.syntaxError("invalid literal")
	default:
		return d.float(64)
	}
}

// object reads an object into a map, rejecting names equal exactly or under folding.
func (d *decoder) object() (map[string]any, error) {
	if err := d.openObject(); err != nil {
		return nil, err
	}
	m := make(map[string]any)
	var names objectNames
	for n := 0; ; n++ {
		name, ok, err := d.member(n)
		if err != nil {
			return nil, err
		}
		if !ok {
			names.set.release()
			return m, nil
		}
		if _, dup := names.other(d, nil, name); dup {
			return nil, d.duplicateError()
		}
		if m[name], err = d.anyValue(); err != nil {
			return nil, err
		}
	}
}

// integer reads a number that must be an integer that fits a signed integer of the given
// size.
func (d *decoder) integer(bits int) (int64, error) {
	start := d.i
	num, err := d.number()
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(num, 10, bits)
	if err != nil {
		d.i = start
		return 0, d.syntaxError("number is not an integer in range")
	}
	return n, nil
}

// unsigned reads a number that must be an integer that fits an unsigned integer of the
// given size.
func (d *decoder) unsigned(bits int) (uint64, error) {
	start := d.i
	num, err := d.number()
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(num, 10, bits)
	if err != nil {
		d.i = start
		return 0, d.syntaxError("number is not an unsigned integer in range")
	}
	return n, nil
}

// float reads a number that must fit a float of the given size.
func (d *decoder) float(bits int) (float64, error) {
	start := d.i
	num, err := d.number()
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(num, bits)
	if err != nil {
		d.i = start
		return 0, d.syntaxError("number out of range")
	}
	return f, nil
}

// valueError is the error of member name, whose value starts at start and must be a want:
// "name must be a want" for a value of another JSON type, and for a string that could not
// be read (invalid UTF-8, a bad escape, no closing quote) the reader's cause err, which is
// found past start.
func (d *decoder) valueError(name, want string, start int, err error) error {
	if e, ok := err.(*jsonError); ok && e.off > start {
		return &jsonError{off: e.off, msg: name + ": " + e.msg}
	}
	return &jsonError{off: d.i, msg: name + " must be a " + want}
}

// date reads a NumericDate (see parseNumericDate): a plain integer in one pass, any other
// number through its text. A date after the year 9999 is errLateDate, anything else but a
// non-negative number errNumericDate.
func (d *decoder) date() (NumericDate, error) {
	if nd, ok := d.plainDate(); ok {
		return nd, nil
	}
	return d.numberDate()
}

// numberDate reads a NumericDate from the text of a number: date's general case.
func (d *decoder) numberDate() (NumericDate, error) {
	num, err := d.number()
	if err != nil {
		return NumericDate{}, errNumericDate
	}
	return parseNumericDate(num)
}

// plainDate reads a date written as a plain integer of at most 18 digits, as nearly every
// token writes it, in one pass; it reports false, consuming nothing, for anything else and
// for a date after the year 9999, which numberDate then refuses.
func (d *decoder) plainDate() (NumericDate, bool) {
	s, i := d.s, d.i
	end := min(len(s), i+18)
	var sec int64
	j := i
	if len(s)-i >= 8 {
		if v, ok := digits8(s[i : i+8]); ok {
			sec, j = int64(v), i+8
		}
	}
	for ; j < end && s[j]-'0' <= 9; j++ {
		sec = sec*10 + int64(s[j]-'0')
	}
	switch {
	case j == i, s[i] == '0' && j > i+1:
		return NumericDate{}, false
	case j < len(s):
		if c := s[j]; c == '.' || c == 'e' || c == 'E' || c-'0' <= 9 {
			return NumericDate{}, false
		}
	}
	if sec > maxNumericDate {
		return NumericDate{}, false // numberDate refuses it
	}
	d.i = j
	return NumericDate{sec: sec, set: true}, true
}

// digits8 returns the value of t when its eight bytes are all decimal digits, computed on
// the bytes as one word (four digits per step, then two, then one, in parallel).
func digits8(t string) (uint64, bool) {
	t = t[:8]
	w := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
		uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
	// Every byte is '0'..'9' iff its high nibble is 3 both as is and after adding 6.
	const hi, lo = 0xf0f0f0f0f0f0f0f0, 0x0f0f0f0f0f0f0f0f
	if w&hi|(w+0x0606060606060606)&hi>>4 != 0x3333333333333333 {
		return 0, false
	}
	w &= lo                                             // digit values, the first in the low byte
	w = w * (10<<8 + 1) >> 8 & 0x00ff00ff00ff00ff       // pairs
	w = w * (100<<16 + 1) >> 16 & 0x0000ffff0000ffff    // groups of four
	return w * (10000<<32 + 1) >> 32 & 0xffffffff, true // all eight
}
