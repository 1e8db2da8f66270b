package jwt

// Member names under encoding/json's case folding, and the one detector of members that are
// equal under it, used for every JSON object the reader reads.
//
// encoding/json binds a member to a struct field whose name equals it under simple Unicode
// case folding ("SUB", "Sub" and "ſub" all fill the field sub, and the last one wins). The
// reader matches names exactly, so the two would read a claims set differently as soon as
// one object has two members equal under folding; such an object is refused, whatever the
// destination, and then no binding path can pick another member than the reader did.

import (
	"hash/maphash"
	"sync"
	"unicode"
	"unicode/utf8"
)

// foldSeed keys the hash of folded names, so that no one outside the process can choose
// names that collide in it.
var foldSeed = maphash.MakeSeed()

// foldRune returns the smallest rune of the simple case folding orbit of r, as
// encoding/json folds a non-ASCII rune of a name. Runes of the 256-rune pages without case
// are returned at once, and those below U+0800 (Latin, Greek, Cyrillic, Armenian) through a
// table, so that a name costs little whatever its script.
func foldRune(r rune) rune {
	if r < 0 || r > unicode.MaxRune || casePages[r>>8/64]&(1<<(r>>8%64)) == 0 {
		return r
	}
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		return r
	}
	if r < 0x800 {
		return rune(foldTable()[r-utf8.RuneSelf])
	}
	return slowFoldRune(r)
}

// slowFoldRune is foldRune by unicode.SimpleFold.
func slowFoldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}

// casePages has bit p set for each page of 256 runes (r>>8 == p) that holds a rune with a
// case mapping. A rune without one is alone in its folding orbit (see unicode.SimpleFold).
var casePages = func() (b [(unicode.MaxRune + 1) >> 8 / 64]uint64) {
	for _, c := range unicode.CaseRanges {
		for p := c.Lo >> 8; p <= c.Hi>>8; p++ {
			b[p/64] |= 1 << (p % 64)
		}
	}
	return b
}()

// foldTable holds slowFoldRune of the runes U+0080 to U+07FF, built on first use.
var foldTable = sync.OnceValue(func() *[0x800 - utf8.RuneSelf]uint16 {
	var t [0x800 - utf8.RuneSelf]uint16
	for i := range t {
		t[i] = uint16(slowFoldRune(rune(i + utf8.RuneSelf)))
	}
	return &t
})

// appendFolded appends name, valid UTF-8, folded as encoding/json folds it: ASCII letters
// upper-cased, other runes replaced by the smallest rune of their folding orbit. Two names
// are equal under folding iff their folded forms are equal.
func appendFolded(dst []byte, name string) []byte {
	var table *[0x800 - utf8.RuneSelf]uint16
	for i := 0; i < len(name); {
		if c := name[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		if c := name[i]; c >= 0xc2 && c < 0xe0 && i+1 < len(name) && name[i+1]&0xc0 == 0x80 {
			// Two bytes (U+0080 to U+07FF), folded through the table.
			if table == nil {
				table = foldTable()
			}
			f := table[(rune(c&0x1f)<<6|rune(name[i+1]&0x3f))-utf8.RuneSelf]
			if f < utf8.RuneSelf {
				dst = append(dst, byte(f))
			} else {
				dst = append(dst, 0xc0|byte(f>>6), 0x80|byte(f&0x3f))
			}
			i += 2
			continue
		}
		r, n := utf8.DecodeRuneInString(name[i:])
		dst = utf8.AppendRune(dst, foldRune(r))
		i += n
	}
	return dst
}

// foldHash returns the keyed hash of name folded. A folded rune is never longer than the
// rune it replaces (it is the smallest of its orbit), so a chunk of name folds into a buffer
// of the chunk's size.
func foldHash(name string) uint64 {
	var buf [128]byte
	if len(name) <= 16 {
		// Most names: short, and ASCII.
		var i int
		for i = 0; i < len(name); i++ {
			c := name[i]
			if c >= utf8.RuneSelf {
				break
			}
			if c-'a' < 26 {
				c -= 'a' - 'A'
			}
			buf[i] = c
		}
		if i == len(name) {
			return maphash.Bytes(foldSeed, buf[:i])
		}
	}
	if len(name) <= len(buf) {
		return maphash.Bytes(foldSeed, appendFolded(buf[:0], name))
	}
	var h maphash.Hash
	h.SetSeed(foldSeed)
	for i := 0; i < len(name); {
		j := min(len(name), i+len(buf))
		// End the chunk on a rune boundary, which is at most three bytes back; further
		// back there are only stray continuation bytes, each a rune of its own to folding.
		for k := j; j < len(name) && j > k-(utf8.UTFMax-1) && !utf8.RuneStart(name[j]); {
			j--
		}
		h.Write(appendFolded(buf[:0], name[i:j]))
		i = j
	}
	return h.Sum64()
}

// sameFold reports whether a and b are equal under folding.
func sameFold(a, b string) bool {
	for a != "" && b != "" {
		var ra, rb rune
		if a[0] < utf8.RuneSelf {
			ra, a = rune(a[0]), a[1:]
		} else {
			r, n := utf8.DecodeRuneInString(a)
			ra, a = r, a[n:]
		}
		if b[0] < utf8.RuneSelf {
			rb, b = rune(b[0]), b[1:]
		} else {
			r, n := utf8.DecodeRuneInString(b)
			rb, b = r, b[n:]
		}
		if ra == rb {
			continue
		}
		if ra < utf8.RuneSelf && rb < utf8.RuneSelf {
			if ra|0x20 != rb|0x20 || ra|0x20 < 'a' || ra|0x20 > 'z' {
				return false
			}
			continue
		}
		if foldRune(ra) != foldRune(rb) {
			return false
		}
	}
	return a == b
}

// foldSig returns a signature of name's folded form: its number of runes and its first and
// last runes, folded. Folding maps each rune to one rune, so names equal under folding have
// equal signatures, and most names that are not equal have different ones. It costs one pass
// to count the runes, whatever the script; it is not keyed, so it only filters, in
// memberSet's first names and in plan.foldBits, where the names are then compared.
func foldSig(name string) uint32 {
	if name == "" {
		return 0
	}
	var first, last rune
	if c := name[0]; c < utf8.RuneSelf {
		first = rune(upperASCII(c))
	} else {
		r, _ := utf8.DecodeRuneInString(name)
		first = foldRune(r)
	}
	if c := name[len(name)-1]; c < utf8.RuneSelf {
		last = rune(upperASCII(c))
	} else {
		r, _ := utf8.DecodeLastRuneInString(name)
		last = foldRune(r)
	}
	return uint32(utf8.RuneCountInString(name))<<20 ^ uint32(first)*0x9e3779b1 ^ uint32(last)
}

// smallSig is the signature of name among memberSet's first names: foldSig for a name of at
// most eight runes, which costs little to compare with another; a longer name, whose
// comparisons cost more and which an outsider could give the foldSig of the others, by its
// keyed fold hash. The number of runes is the same for names equal under folding, so two
// such names get the same kind of signature, and an equal one.
func smallSig(name string) uint32 {
	if len(name) > 8 && utf8.RuneCountInString(name) > 8 {
		return uint32(foldHash(name) >> 32)
	}
	return foldSig(name)
}

// upperASCII upper-cases an ASCII letter, as folding does.
func upperASCII(c byte) byte {
	if c-'a' < 26 {
		c -= 'a' - 'A'
	}
	return c
}

// memberSet holds the member names of one object that no field of a plan accounted for, to
// find two that are equal under folding. It keeps each name as a reference from which its
// nameSource gives it back (never 0): the first eight names in place, under their smallSig,
// each compared with the ones before; from the ninth on, all of them in an open-addressing
// table under the high 32 bits of their keyed fold hash, at most half full, that grows
// fourfold as it fills, so that n names cost O(n) whatever they are. Equal signatures or
// hashes are confirmed by comparing both names; the keyed hash makes them rare for any
// names an outsider can choose, and the names that share a foldSig by choice are short
// ones, so eight names cost at most 28 cheap comparisons. Tables come from pools, and
// release returns them. The reader
// and the writer share it, so that Encode refuses exactly the objects Decode refuses.
type memberSet struct {
	n     int
	small [8]uint64 // smallSig << 32 | ref, while table is nil
	table []uint64  // once more than len(small) names: power-of-two size
	from  *[]uint64 // what getTable returned, for putTable
}

// nameSource gives back a name recorded in a memberSet from its reference: the offset of the
// name's opening quote in the text a decoder reads (never 0, where the object's brace is), or
// one more than the name's index in the names a writer writes.
type nameSource struct {
	d     *decoder
	names []string
}

// at returns the name recorded with reference ref.
func (src nameSource) at(ref int) string {
	if src.d != nil {
		return src.d.nameAt(ref)
	}
	return src.names[ref-1]
}

// add records name, given back by src from ref, and reports whether the set already held a
// name equal to it under folding. name is unescaped; every name of one set comes from the
// same src.
func (s *memberSet) add(src nameSource, ref int, name string) bool {
	return s.addHashed(src, ref, name, foldHash)
}

// addHashed is add with the hash of the table given: foldHash, or in tests one that
// collides.
func (s *memberSet) addHashed(src nameSource, ref int, name string, hash func(string) uint64) bool {
	if s.table == nil {
		e := uint64(smallSig(name))<<32 | uint64(uint32(ref))
		for _, o := range s.small[:s.n] {
			if o>>32 == e>>32 && sameFold(src.at(int(uint32(o))), name) {
				return true
			}
		}
		if s.n < len(s.small) {
			s.small[s.n] = e
			s.n++
			return false
		}
		// The ninth name: the first eight, none equal to another, move to a table under
		// their keyed hashes.
		s.from = getTable(8 * len(s.small))
		s.table = *s.from
		for _, o := range s.small {
			ref := uint32(o)
			s.insert(hash(src.at(int(ref)))&^0xffffffff | uint64(ref))
		}
	}
	e := hash(name)&^0xffffffff | uint64(uint32(ref))
	mask := uint64(len(s.table) - 1)
	for i := (e >> 32) & mask; s.table[i] != 0; i = (i + 1) & mask {
		if o := s.table[i]; o>>32 == e>>32 && sameFold(src.at(int(uint32(o))), name) {
			return true
		}
	}
	if 2*(s.n+1) > len(s.table) {
		old, from := s.table, s.from
		s.from = getTable(4 * len(old))
		s.table = *s.from
		for _, o := range old {
			if o != 0 {
				s.insert(o)
			}
		}
		putTable(from)
	}
	s.insert(e)
	s.n++
	return false
}

// insert puts entry e in the table, which has room.
func (s *memberSet) insert(e uint64) {
	mask := uint64(len(s.table) - 1)
	i := (e >> 32) & mask
	for s.table[i] != 0 {
		i = (i + 1) & mask
	}
	s.table[i] = e
}

// release gives the set's table back to its pool, once the object is read; the set is not
// used afterwards.
func (s *memberSet) release() {
	if s.from != nil {
		putTable(s.from)
		s.from, s.table = nil, nil
	}
}

// tablePools holds zeroed tables of 64 << 2k entries, for k < len(tablePools); larger
// tables (a million names) are not kept.
var tablePools [6]sync.Pool

// tableClass returns the pool index of a table of n entries, or -1.
func tableClass(n int) int {
	for k := range tablePools {
		if n == 64<<(2*k) {
			return k
		}
	}
	return -1
}

// getTable returns a zeroed table of n entries, n a power of two.
func getTable(n int) *[]uint64 {
	if k := tableClass(n); k >= 0 {
		if t, ok := tablePools[k].Get().(*[]uint64); ok {
			return t
		}
	}
	t := make([]uint64, n)
	return &t
}

// putTable zeroes *t and keeps it for getTable.
func putTable(t *[]uint64) {
	if k := tableClass(len(*t)); k >= 0 {
		clear(*t)
		tablePools[k].Put(t)
	}
}

// nameAt reads again the member name whose opening quote is at off. It was read once
// already, so it cannot fail.
func (d *decoder) nameAt(off int) string {
	again := decoder{s: d.s, i: off}
	name, _ := again.str()
	return name
}

// objectNames finds, in one object, two members whose names are equal exactly or under
// folding: those named as a field of a plan, or equal to one under folding, by the fold
// class of the field; the others in a memberSet. The writer uses it too, on the objects it
// writes (see jsonwrite.go), with the names it writes as their source.
type objectNames struct {
	// classes has bit k set once a member of fold class k was read. Only the first 64 classes
	// have a bit; members of later ones (a struct with more than 64 fields whose names are
	// not equal under folding) go to set, as do names of no class.
	classes uint64
	set     memberSet
}

// field records a member named exactly as f, whose name was just read, and reports whether
// the object already had a member equal to it under folding.
func (o *objectNames) field(d *decoder, f *field) bool {
	return o.fieldFrom(nameSource{d: d}, d.nameOff, f)
}

// fieldFrom is field for a name that src gives back from ref.
func (o *objectNames) fieldFrom(src nameSource, ref int, f *field) bool {
	if f.class >= 64 {
		return o.set.add(src, ref, f.name)
	}
	bit := uint64(1) << f.class
	dup := o.classes&bit != 0
	o.classes |= bit
	return dup
}

// other records a member whose name was just read and is no field's of g (nil for none). It
// returns the fold class of the fields of g that the name equals under folding, or -1, and
// whether the object already had a member equal to it under folding.
func (o *objectNames) other(d *decoder, g *plan, name string) (int, bool) {
	k := -1
	if g != nil {
		k = g.foldClass(name)
	}
	if k < 0 || k >= 64 {
		return k, o.set.add(nameSource{d: d}, d.nameOff, name)
	}
	bit := uint64(1) << k
	dup := o.classes&bit != 0
	o.classes |= bit
	return k, dup
}

// otherFrom records a member of an object without a plan, named name, that src gives back
// from ref, and reports whether the object already had a member equal to it under folding.
func (o *objectNames) otherFrom(src nameSource, ref int, name string) bool {
	return o.set.add(src, ref, name)
}
