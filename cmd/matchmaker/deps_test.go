package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestServiceCarriesNoBenchTools keeps the tools that generate and measure
// (cmd/matchmaker-bench, the synthetic vocabulary, the labelled sets'
// reader) out of the service's binary.
func TestServiceCarriesNoBenchTools(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch pkg {
		case "github.com/matchmaker/matchmaker/synth", "github.com/matchmaker/matchmaker/match/evalset", "testing":
			t.Errorf("the service's binary links %s", pkg)
		}
	}
}
