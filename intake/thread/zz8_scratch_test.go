package thread
import ("testing";"fmt";"os";"strings")
func TestZZ8(t *testing.T){
	b,_ := os.ReadFile("../testdata/threads/dev4/09-prose-newsletter-mexico-clay.txt")
	r := Read(string(b), Options{})
	for _, s := range r.Skipped { if strings.Contains(s.Text, "Tomasa") || strings.Contains(s.Name, "Tomasa") { fmt.Printf("S %q %s into=%d\n", s.Name, s.Reason, s.Into) } }
	for _, d := range r.Drafts { if strings.Contains(d.Source, "Tomasa") { fmt.Printf("D %q %q\n", d.Name, d.Business) } }
}
