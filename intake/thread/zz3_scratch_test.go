package thread
import ("testing";"fmt")
func TestZZ3(t *testing.T){
	for _, s := range []string{
		"Cowork Alfama — coworking + virtual office in Lisbon, day passes to fixed desks. We give €50 for every member who signs up through you!",
		"Sparkle & Co Cleaning 🌟 domestic cleaning. £30 for every regular client you send our way!!",
		"We pay $50 for every player who registers through you!",
		"Happy to pay $25 per family referred!",
		"We pay introducers 1% of the loan amount. UK",
		"We give a $25 credit for every referral that signs up.",
		"I give $40 to anyone who books me a new rooftop.",
		"we share 30% of revenue with resellers.",
		"8% commission both ways if we send each other schools?",
		"He pays €25 for every customer someone sends him.",
	} {
		r, st := laneSignals(s)
		fmt.Println(r, st, laneOf(s, false), "|", s[:30])
	}
}
