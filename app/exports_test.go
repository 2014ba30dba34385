package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/synth"
)

// BenchmarkExportPosts measures the posts export of communities of
// 10,000 and 50,000 posts, written to nowhere: rows a second, and how much the live heap
// grows while it runs (sampled every 1,000 writes, above the heap before
// the export) against the size of the file: a few MiB of garbage between
// collections, not the file (the export streams).
func BenchmarkExportPosts(b *testing.B) {
	for _, n := range []int{10_000, 50_000} {
		b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) { benchmarkExport(b, n) })
	}
}

func benchmarkExport(b *testing.B, n int) {
	var file bytes.Buffer
	if err := synth.Write(&file, synth.Options{N: n, Seed: 3, Quarter: "2026-Q3"}); err != nil {
		b.Fatal(err)
	}
	a := mustOpen(b, b.TempDir())
	if _, err := a.Import(context.Background(), bytes.NewReader(file.Bytes()), intake.FormatJSONL, nil); err != nil {
		b.Fatal(err)
	}
	var (
		size  countingWriter
		grown uint64
		base  runtime.MemStats
	)
	runtime.GC()
	runtime.ReadMemStats(&base)
	b.ResetTimer()
	for b.Loop() {
		size = 0
		w := &peakWriter{w: &size}
		if err := a.Export(context.Background(), app.Who{Host: true}, "posts", w); err != nil {
			b.Fatal(err)
		}
		if w.peak > base.HeapAlloc {
			grown = max(grown, w.peak-base.HeapAlloc)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
	b.ReportMetric(float64(grown)/(1<<20), "heap-growth-MiB")
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// peakWriter samples the live heap every 1,000 writes.
type peakWriter struct {
	w      io.Writer
	writes int
	peak   uint64
}

func (p *peakWriter) Write(b []byte) (int, error) {
	if p.writes++; p.writes%1000 == 0 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		p.peak = max(p.peak, m.HeapAlloc)
	}
	return p.w.Write(b)
}
