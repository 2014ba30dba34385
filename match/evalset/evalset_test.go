package evalset

import (
	"math"
	"strings"
	"testing"
)

const tiny = `{"key":"a","role":"baker","offer":"Bread for cafes","seek":"Coffee roasters","relevant":{"b":2,"c":1}}
{"key":"b","role":"roaster","offer":"Coffee for cafes","seek":"Bakeries","relevant":{"a":2}}
{"key":"c","role":"fitter","offer":"Cafe fit-outs","seek":"Roasters and bakers","relevant":{"a":1}}
{"key":"d","role":"baker","offer":"Pastries for cafes","seek":"Roasters","competitors":[]}
`

func TestScoreAsTheBaselineToolDoes(t *testing.T) {
	s, err := Parse(strings.NewReader(tiny))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Rivals("a"); len(got) != 1 || got[0] != "d" {
		t.Errorf("rivals of a: %v, want [d] (the same role)", got)
	}
	// a: d (a rival) first, then b (2) and c (1); b: a first; c: nothing.
	m := s.Score(map[string][]string{"a": {"d", "b", "c"}, "b": {"a"}})
	ideal := 3/math.Log2(2) + 1/math.Log2(3)
	ndcgA := (3/math.Log2(3) + 1/math.Log2(4)) / ideal
	want := Metrics{NDCG10: (ndcgA + 1 + 0) / 3, Recall5: (1 + 1 + 0) / 3.0, P1: 1 / 3.0, RivalTop3: 1 / 3.0, Queries: 3}
	if math.Abs(m.NDCG10-want.NDCG10) > 1e-12 || m.Recall5 != want.Recall5 || m.P1 != want.P1 || m.RivalTop3 != want.RivalTop3 || m.Queries != 3 {
		t.Errorf("metrics %+v, want %+v", m, want)
	}
}

func TestParseRefusesBadSets(t *testing.T) {
	for _, bad := range []string{
		`{"key":"a","offer":"x","seek":"y"}` + "\n" + `{"key":"a","offer":"x","seek":"y"}`,
		`{"key":"a","offer":"x","seek":"y","relevant":{"zz":2}}`,
		`{"key":"a","offer":"x","seek":"y","competitors":["zz"]}`,
		`{"offer":"x","seek":"y"}`,
		`{"key":"a","offer":"x"`,
	} {
		if _, err := Parse(strings.NewReader(bad)); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}
