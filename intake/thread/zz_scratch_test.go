package thread

import (
	"fmt"
	"os"
	"testing"
)

func TestZZ(t *testing.T) {
	b, _ := os.ReadFile(os.Getenv("ZZ_FILE"))
	res := Read(string(b), Options{})
	fmt.Println(res.Format, res.Notice, len(res.Drafts), len(res.Skipped))
	for _, d := range res.Drafts {
		fmt.Printf("D %q %q | %.150q\n", d.Name, d.Business, d.Source)
	}
	for _, s := range res.Skipped {
		fmt.Printf("S %q %s | %.80q\n", s.Name, s.Reason, s.Text)
	}
}
