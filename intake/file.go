package intake

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"

	"github.com/matchmaker/matchmaker/match"
)

// Format is the format of an import file.
type Format string

const (
	FormatJSONL Format = "jsonl" // one JSON object per line
	FormatCSV   Format = "csv"   // a header row of JSON field names, then one post per row
)

// MaxLine bounds one line of a JSON Lines file (and one CSV record): a
// post's fields add up to well under 10 KiB, so this only stops garbage.
const MaxLine = 1 << 20

// DetectFormat picks the format from a file name, or failing that from the
// first bytes of the file: JSON Lines start with "{".
func DetectFormat(name string, head []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return FormatCSV
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL
	}
	head = bytes.TrimPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("\xef\xbb\xbf"))
	if len(head) > 0 && head[0] == '{' {
		return FormatJSONL
	}
	return FormatCSV
}

// Record is one post read from an import file: a valid input, or the reason
// its line was rejected (an EINVALID *match.Error).
type Record struct {
	Line  int
	Input match.PostInput
	Err   error
}

// Read yields the posts of an import file in order. A bad line yields a
// Record with Err set and reading goes on; a file that cannot be read at all
// (unreadable, a CSV header naming unknown columns) yields a non-nil error
// and stops. An external ID used twice in one file is a bad line the second
// time, so that one import never writes the same post twice.
func Read(r io.Reader, format Format) iter.Seq2[Record, error] {
	var records iter.Seq2[Record, error]
	switch format {
	case FormatJSONL:
		records = readJSONL(r)
	case FormatCSV:
		records = readCSV(r)
	default:
		return func(yield func(Record, error) bool) {
			yield(Record{}, match.Errorf(match.EINVALID, "unknown import format %q: use jsonl or csv", format))
		}
	}
	return func(yield func(Record, error) bool) {
		seen := make(map[string]int)
		for rec, err := range records {
			if err == nil && rec.Err == nil && rec.Input.ExternalID != "" {
				if first, dup := seen[rec.Input.ExternalID]; dup {
					rec.Err = match.Invalid(fmt.Sprintf("external_id %q is already used on line %d", rec.Input.ExternalID, first),
						map[string]string{"external_id": "repeats line " + fmt.Sprint(first)})
				} else {
					seen[rec.Input.ExternalID] = rec.Line
				}
			}
			if !yield(rec, err) || err != nil {
				return
			}
		}
	}
}

// readJSONL decodes and validates lines on every core while the caller
// stores the ones before: a million-line import spends as long decoding
// as writing, and the two then overlap. Lines go to the decoders in
// batches and come back in order.
func readJSONL(r io.Reader) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		done := make(chan struct{})
		defer close(done)
		workers := runtime.GOMAXPROCS(0)
		order := make(chan *lineBatch, 2*workers) // in file order, to the caller
		work := make(chan *lineBatch, 2*workers)  // to the decoders
		go readBatches(r, order, work, done)
		for range workers {
			go func() {
				for b := range work {
					b.decode()
				}
			}()
		}
		for b := range order {
			<-b.decoded
			for _, rec := range b.records {
				if !yield(rec, nil) {
					return
				}
			}
			if b.err != nil {
				yield(Record{}, b.err)
				return
			}
		}
	}
}

// lineBatch is consecutive lines of a JSON Lines file, then their
// records; err is the read error after its last line.
type lineBatch struct {
	lines   []numberedLine
	records []Record
	err     error
	decoded chan struct{} // closed once records are set
}

type numberedLine struct {
	n       int
	data    []byte
	tooLong bool
}

// linesPerBatch is how many lines a decoder takes at a time.
const linesPerBatch = 256

func (b *lineBatch) decode() {
	for _, l := range b.lines {
		switch {
		case l.tooLong:
			b.records = append(b.records, Record{Line: l.n, Err: match.Invalid(fmt.Sprintf("the line is longer than %d bytes", MaxLine), nil)})
		case len(bytes.TrimSpace(l.data)) > 0:
			in, err := PostInput(l.data)
			b.records = append(b.records, Record{Line: l.n, Input: in, Err: err})
		}
	}
	close(b.decoded)
}

// readBatches reads r's lines in batches, handing each to the caller (in
// order) and to the decoders, until the end, a read error or done.
func readBatches(r io.Reader, order, work chan<- *lineBatch, done <-chan struct{}) {
	defer close(order)
	defer close(work)
	br := bufio.NewReaderSize(r, 64<<10)
	line := 1
	for {
		b := &lineBatch{decoded: make(chan struct{})}
		var err error
		for len(b.lines) < linesPerBatch {
			var data []byte
			var tooLong bool
			data, tooLong, err = readLine(br)
			if err != nil && !errors.Is(err, io.EOF) {
				err = fmt.Errorf("read line %d: %w", line, err)
				break
			}
			if line == 1 {
				data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
			}
			b.lines = append(b.lines, numberedLine{n: line, data: data, tooLong: tooLong})
			line++
			if err != nil {
				break
			}
		}
		if !errors.Is(err, io.EOF) {
			b.err = err // a read error, after the lines read before it
		}
		for _, ch := range []chan<- *lineBatch{order, work} {
			select {
			case ch <- b:
			case <-done:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// readLine returns the next line without its end, reading past (and
// reporting) a line longer than MaxLine instead of holding it in memory.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			buf = append(buf, chunk...)
			if len(buf) > MaxLine {
				tooLong, buf = true, nil
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(buf, "\r\n"), tooLong, err
	}
}

// csvColumns maps the JSON field names of match.PostInput to their index.
var csvColumns = func() map[string]int {
	cols := map[string]int{}
	t := reflect.TypeFor[match.PostInput]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		cols[name] = i
	}
	return cols
}()

// readOnlyColumns are fields a post has but an import may not set.
var readOnlyColumns = map[string]string{
	"id":         "the server assigns ids; use external_id to update posts on re-import",
	"created_at": "the server sets timestamps",
	"updated_at": "the server sets timestamps",
}

func readCSV(r io.Reader) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
		cr.ReuseRecord = true
		header, err := cr.Read()
		if errors.Is(err, io.EOF) {
			yield(Record{}, match.Invalid("the CSV file is empty: it needs a header row of field names", nil))
			return
		}
		if err != nil {
			yield(Record{}, match.Invalid("cannot read the CSV header: "+err.Error(), nil))
			return
		}
		fields, err := csvHeader(header)
		if err != nil {
			yield(Record{}, err)
			return
		}
		cr.FieldsPerRecord = len(fields)
		for {
			row, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			var perr *csv.ParseError
			if err != nil && errors.As(err, &perr) {
				if !yield(Record{Line: perr.StartLine, Err: match.Invalid("malformed CSV row: "+perr.Err.Error(), nil)}, nil) {
					return
				}
				continue
			}
			if err != nil {
				yield(Record{}, fmt.Errorf("read CSV: %w", err))
				return
			}
			// Only a row read without error has field positions.
			line, _ := cr.FieldPos(0)
			in, verr := csvPost(fields, row)
			if verr == nil {
				in.Normalize()
				verr = match.Validate(&in)
			}
			if !yield(Record{Line: line, Input: in, Err: verr}, nil) {
				return
			}
		}
	}
}

// csvHeader checks the header row and returns each column's field index.
func csvHeader(header []string) ([]int, error) {
	fields := make([]int, len(header))
	seen := map[string]bool{}
	var problems []string
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		idx, ok := csvColumns[name]
		switch {
		case readOnlyColumns[name] != "":
			problems = append(problems, fmt.Sprintf("column %q: %s", name, readOnlyColumns[name]))
		case !ok:
			problems = append(problems, fmt.Sprintf("column %q is not a post field", name))
		case seen[name]:
			problems = append(problems, fmt.Sprintf("column %q appears twice", name))
		}
		seen[name] = true
		fields[i] = idx
	}
	for _, required := range []string{"business", "email", "offer", "seek"} {
		if !seen[required] {
			problems = append(problems, fmt.Sprintf("required column %q is missing", required))
		}
	}
	if len(problems) > 0 {
		return nil, match.Invalid("the CSV header is not usable: "+strings.Join(problems, "; "), nil)
	}
	return fields, nil
}

// csvPost fills a PostInput from one row. Tags are separated by ";" or given
// as a JSON array.
func csvPost(fields []int, row []string) (match.PostInput, error) {
	var in match.PostInput
	v := reflect.ValueOf(&in).Elem()
	for i, idx := range fields {
		f := v.Field(idx)
		cell := match.NFC(row[i]) // as DecodeJSON does for JSON
		if f.Kind() == reflect.String {
			f.SetString(cell)
			continue
		}
		tags, err := csvTags(cell)
		if err != nil {
			return in, match.Invalid("bad tags cell", map[string]string{"tags": err.Error()})
		}
		f.Set(reflect.ValueOf(tags))
	}
	return in, nil
}

func csvTags(cell string) ([]string, error) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return nil, nil
	}
	if strings.HasPrefix(cell, "[") {
		var tags []string
		if err := json.Unmarshal([]byte(cell), &tags); err != nil {
			return nil, errors.New("must be a JSON list of strings or tags separated by ;")
		}
		return tags, nil
	}
	return strings.Split(cell, ";"), nil
}
