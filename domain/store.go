package domain

import (
	"context"
	"iter"
	"time"

	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// Store is what the app needs of a database: every record it reads and
// writes, the change log the search index and the matching engine follow,
// and the clock its timestamps come from. store.DB implements it on
// SQLite; another engine (PostgreSQL) would implement it without the app
// changing. What is particular to one database file (its path, backups,
// checks) stays with that engine.
type Store interface {
	MeetingStore
	MemberData(ctx context.Context, email string) (map[string][]map[string]any, error)
	APITokens(ctx context.Context, memberID int64) ([]APIToken, error)
	ActivePostIDs(ctx context.Context, quarter match.Quarter) ([]int64, error)
	AnsweredLink(ctx context.Context, linkHash string) (Introduction, string, time.Time, error)
	ActiveStrategicCount(ctx context.Context, email string) (int, error)
	AddCorrection(ctx context.Context, partnershipID int64, e partner.Entry) (partner.Entry, error)
	AddDeliverable(ctx context.Context, partnershipID int64, d partner.Deliverable, actor partner.Actor) (partner.Deliverable, error)
	AddExpectation(ctx context.Context, partnershipID int64, e partner.Expectation, signed bool) (partner.Expectation, error)
	AddGoal(ctx context.Context, partnershipID int64, g partner.Goal, actor partner.Actor) (partner.Goal, error)
	AddIntroductionLink(ctx context.Context, introductionID int64, side, purpose, linkHash string, expires time.Time) error
	AddReferral(ctx context.Context, partnershipID int64, r partner.Referral) (partner.Referral, error)
	AddSuggestion(ctx context.Context, quarter match.Quarter, s Suggestion, replace int64) (Suggestion, error)
	AnswerWrite(ctx context.Context, w KeyedWrite, a StoredAnswer) error
	Answer(ctx context.Context, introductionID int64, side string, accept bool) (Introduction, error)
	Areas(ctx context.Context) ([]Area, error)
	ClaimWrite(ctx context.Context, w KeyedWrite) (Claim, error)
	ClickSalt(ctx context.Context, day string) ([]byte, error)
	ClaimDigest(ctx context.Context, quarter match.Quarter, email string, matches []DigestMatch, msg mail.Message) (outboxID int64, status string, err error)
	Close() error
	ConfirmEntry(ctx context.Context, partnershipID, id int64) (partner.Entry, error)
	ConfirmPost(ctx context.Context, tokenHash string) (match.Post, error)
	CreateAPIToken(ctx context.Context, memberID int64, name, tokenHash string) (APIToken, error)
	CreateEmailLink(ctx context.Context, tokenHash string, l EmailLink, expires time.Time) error
	CreateIntake(ctx context.Context, r IntakeRead) (Intake, []Draft, []Skipped, error)
	CreateOffer(ctx context.Context, p partner.Partnership, note string) (partner.Offer, error)
	CreatePartnership(ctx context.Context, p partner.Partnership, actor partner.Actor) (partner.Partnership, error)
	CreatePost(ctx context.Context, p match.Post) (match.Post, error)
	DatabaseID(ctx context.Context) (string, error)
	Decide(ctx context.Context, partnershipID, id int64, actor partner.Actor, d partner.Decision, note string) (partner.Proposal, error)
	DecideOffer(ctx context.Context, id int64, actor partner.Actor, d partner.Decision, note string) (partner.Offer, error)
	DeleteAPIToken(ctx context.Context, memberID, tokenID int64) error
	DeleteArea(ctx context.Context, name string) error
	DeleteDeliverable(ctx context.Context, partnershipID int64, quarter match.Quarter, id int64, actor partner.Actor) error
	DeleteFeedback(ctx context.Context, id int64) (Feedback, error)
	DeleteGoal(ctx context.Context, partnershipID int64, quarter match.Quarter, id int64, actor partner.Actor) error
	DeleteIntake(ctx context.Context, id int64) error
	DeletePost(ctx context.Context, id int64) error
	DeleteSession(ctx context.Context, sessionHash string) error
	Digest(ctx context.Context, quarter match.Quarter) (Digest, error)
	DigestExclusions(ctx context.Context, quarter match.Quarter, email string) (DigestExclusions, error)
	DigestPosts(ctx context.Context, quarter match.Quarter) (map[string][]match.Post, error)
	DigestRecipient(ctx context.Context, quarter match.Quarter, email string) (DigestRecipient, error)
	DigestStatuses(ctx context.Context, quarter match.Quarter) (map[string]string, error)
	DismissSkipped(ctx context.Context, intakeID int64) (int64, error)
	Draft(ctx context.Context, id int64) (Draft, error)
	DraftFromSkipped(ctx context.Context, id int64, d Draft) (Draft, error)
	Drafts(ctx context.Context, f DraftFilter) ([]Draft, error)
	DueFollowUps(ctx context.Context, acceptedBefore time.Time) ([]Introduction, error)
	DueReminders(ctx context.Context, soon time.Time) ([]Introduction, error)
	EachPost(ctx context.Context, fn func(match.Post) error) (int64, error)
	Entry(ctx context.Context, partnershipID, id int64) (partner.Entry, error)
	EraseMember(ctx context.Context, email string) (Erasure, error)
	EachExportRow(ctx context.Context, kind string, header func([]string) error, row func([]string) error) error
	ExcludedPairs(ctx context.Context) (map[[2]int64]bool, error)
	ExpireIntroductions(ctx context.Context) ([]Introduction, error)
	Feedback(ctx context.Context, linkHash string, met bool, rating int) error
	Figures(ctx context.Context, quarter match.Quarter) (RoundFigures, error)
	FinishDigestRun(ctx context.Context, quarter match.Quarter) error
	FinishRoundJob(ctx context.Context, quarter match.Quarter, failure error) error
	FirstChangeSeq(ctx context.Context) (int64, error)
	FollowChanges(ctx context.Context, after int64, apply func([]match.PostChange) error) error
	HasPostsFor(ctx context.Context, email string) (bool, error)
	ImportPosts(ctx context.Context, inputs iter.Seq2[match.PostInput, error]) (ImportCounts, error)
	Intake(ctx context.Context, id int64) (Intake, error)
	Intakes(ctx context.Context) ([]Intake, error)
	Introduce(ctx context.Context, quarter match.Quarter, suggestionID int64, linkA, linkB string, ttl time.Duration) (Introduction, Suggestion, error)
	Introduction(ctx context.Context, id int64) (Introduction, error)
	IntroductionByLink(ctx context.Context, linkHash string) (Introduction, string, error)
	IntroductionsOf(ctx context.Context, email string) ([]Introduction, error)
	IsLinkSpent(ctx context.Context, linkHash string) (bool, error)
	IsUnsubscribed(ctx context.Context, email string) (bool, error)
	LastChangeSeq(ctx context.Context) (int64, error)
	Learning(ctx context.Context) (Learning, error)
	Ledger(ctx context.Context, partnershipID int64) ([]partner.Entry, []partner.Payout, error)
	ListFeedback(ctx context.Context, post int64, limit, offset int) (FeedbackPage, error)
	ListPosts(ctx context.Context, f PostFilter) ([]match.Post, error)
	MailByIDs(ctx context.Context, ids []int64) (map[int64]QueuedMail, error)
	MemberByAPIToken(ctx context.Context, tokenHash string) (Member, error)
	MemberBySession(ctx context.Context, sessionHash string) (Member, error)
	Now() time.Time
	Offer(ctx context.Context, id int64) (partner.Offer, error)
	Offers(ctx context.Context, f OfferFilter) ([]partner.Offer, error)
	Partnership(ctx context.Context, id int64) (partner.Partnership, error)
	PartnershipEvents(ctx context.Context, id int64) ([]partner.Event, error)
	Partnerships(ctx context.Context, f PartnershipFilter) ([]partner.Partnership, error)
	Ping(ctx context.Context) error
	LinkByCode(ctx context.Context, code string) (Link, error)
	LinkStats(ctx context.Context, partnershipID int64) (map[int64][]LinkQuarter, error)
	Links(ctx context.Context, partnershipID int64) ([]Link, error)
	PruneKeyedWrites(ctx context.Context) (int64, error)
	Proposals(ctx context.Context, partnershipID int64) ([]partner.Proposal, error)
	Propose(ctx context.Context, pr partner.Proposal) (partner.Proposal, error)
	Plans(ctx context.Context, partnershipID int64, quarter match.Quarter) ([]partner.Plan, error)
	Post(ctx context.Context, id int64) (match.Post, error)
	PostsByID(ctx context.Context, ids []int64) (map[int64]match.Post, error)
	PostsOf(ctx context.Context, email string) ([]match.Post, error)
	PruneChanges(ctx context.Context, seq int64) error
	PutArea(ctx context.Context, a Area) (Area, error)
	RecordFeedback(ctx context.Context, f Feedback) (Feedback, error)
	RecordInterest(ctx context.Context, in Interest, eff InterestEffect) (Interest, error)
	RecordPayout(ctx context.Context, partnershipID int64, entryIDs []int64, paidOn, reference string, actor partner.Actor, allowed func(payer partner.Side, amount int64) error) (partner.Payout, error)
	Referral(ctx context.Context, partnershipID, id int64) (partner.Referral, error)
	Referrals(ctx context.Context, partnershipID int64) ([]partner.Referral, error)
	ReplaceRead(ctx context.Context, id int64, r IntakeRead) (Intake, []Draft, []Skipped, error)
	ReleaseWrite(ctx context.Context, w KeyedWrite) error
	RecordClick(ctx context.Context, linkID int64, day, visitor string) (bool, error)
	RecordConversion(ctx context.Context, c NewConversion, actor partner.Actor) (ConversionResult, error)
	SetLink(ctx context.Context, partnershipID int64, referrer partner.Side, landing string, days int) (Link, error)
	Resubscribe(ctx context.Context, email string) error
	Reverse(ctx context.Context, partnershipID, id, amount int64, reason string, actor partner.Actor) (partner.Entry, error)
	Round(ctx context.Context, quarter match.Quarter) (Round, error)
	RoundJob(ctx context.Context, quarter match.Quarter) (RoundJob, error)
	Rounds(ctx context.Context) ([]Round, error)
	RoundJobs(ctx context.Context) ([]RoundJob, error)
	RunningRoundJob(ctx context.Context) (RoundJob, error)
	SaveDraft(ctx context.Context, d Draft) (Draft, error)
	SaveReview(ctx context.Context, partnershipID int64, r partner.Review, actuals []partner.GoalActual) (partner.Review, error)
	SaveRound(ctx context.Context, quarter match.Quarter, perPost int, proposals []Suggestion) (Round, error)
	Seen(ctx context.Context, postID int64) (Seen, error)
	SetDigestNote(ctx context.Context, quarter match.Quarter, note string) error
	SetForgotten(ctx context.Context, k match.LearnedKey, forget bool) error
	SetPartnershipStatus(ctx context.Context, id int64, to partner.Status, actor partner.Actor, reason string) (partner.Partnership, error)
	SetSetting(ctx context.Context, key, value string) error
	Setting(ctx context.Context, key string) (string, error)
	SignExpectation(ctx context.Context, partnershipID int64, quarter match.Quarter, id int64, side partner.Side) (partner.Expectation, error)
	SignIn(ctx context.Context, linkHash, sessionHash string, expires time.Time) (Member, error)
	SigningKey(ctx context.Context) ([]byte, error)
	SkipDigest(ctx context.Context, quarter match.Quarter, email, reason string) error
	SkippedItem(ctx context.Context, id int64) (Skipped, error)
	SkippedItems(ctx context.Context, intakeID int64) ([]Skipped, error)
	StartDigestRun(ctx context.Context, quarter match.Quarter, plan []PlannedRecipient, resendUnknown bool) error
	StartRoundJob(ctx context.Context, quarter match.Quarter, perPost, total int) (RoundJob, error)
	Suggestion(ctx context.Context, quarter match.Quarter, id int64) (Suggestion, error)
	Suggestions(ctx context.Context, quarter match.Quarter, status string) ([]Suggestion, error)
	SuggestionsByID(ctx context.Context, ids []int64) (map[int64]Suggestion, error)
	Terms(ctx context.Context, partnershipID int64) ([]partner.Terms, error)
	Unsubscribe(ctx context.Context, email string) error
	UpdateDeliverable(ctx context.Context, partnershipID int64, quarter match.Quarter, id int64, planChange bool, actor partner.Actor, edit func(*partner.Deliverable)) (partner.Deliverable, error)
	UpdateGoal(ctx context.Context, partnershipID int64, quarter match.Quarter, id int64, planChange bool, actor partner.Actor, edit func(*partner.Goal)) (partner.Goal, error)
	UpdatePost(ctx context.Context, id int64, patch match.PostPatch) (match.Post, error)
	UpdateReferral(ctx context.Context, partnershipID, id int64, to partner.ReferralStatus, sale *partner.Money, note *string, actor partner.Actor) (partner.Referral, []partner.Entry, error)
	UpdateSuggestion(ctx context.Context, quarter match.Quarter, id int64, status, note *string) (Suggestion, error)
	// The outbox (see OutgoingMail, OweMail).
	QueueMail(ctx context.Context, mails ...OutgoingMail) error
	DueMail(ctx context.Context, now time.Time, limit int) ([]QueuedMail, error)
	MailAttempted(ctx context.Context, id int64, sendErr error, retryAt *time.Time) error
	Outbox(ctx context.Context, f OutboxFilter) ([]QueuedMail, error)
	OutboxCounts(ctx context.Context) (map[string]int, error)
	OutboxCount(ctx context.Context, status string) (int, error)
	RetryMail(ctx context.Context, id int64) (QueuedMail, error)
	CancelMail(ctx context.Context, id int64) (QueuedMail, error)
	// Notices members choose to get (see app/notices.go).
	NoticePrefs(ctx context.Context, email string) (map[string]string, error)
	SetNoticePrefs(ctx context.Context, email string, modes map[string]string) error
	KeepWeeklyNotice(ctx context.Context, n WeeklyNotice) error
	WeeklyNoticesDue(ctx context.Context, before time.Time) (map[string][]WeeklyNotice, error)
	MarkWeeklyNoticesSummed(ctx context.Context, ids []int64) error
}
