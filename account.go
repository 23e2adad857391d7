package peyvand

import (
	"context"
	"time"
)

// Role is what a staff account may do.
type Role string

// The staff roles. An admin may do everything the others may.
const (
	RoleVerifier   Role = "verifier"   // reviews matches, verifies status events
	RoleCaseworker Role = "caseworker" // brings news to families
	RoleAnalyst    Role = "analyst"    // reads counts and estimates
	RoleAdmin      Role = "admin"      // manages accounts and imports
)

// Roles lists every role.
var Roles = []Role{RoleVerifier, RoleCaseworker, RoleAnalyst, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Account is a staff member's login. The password is kept only as an
// argon2id hash and the second factor's secret is sealed at rest.
type Account struct {
	ID           string
	Username     string
	Role         Role
	Organisation string
	PasswordHash string // argon2id, in the PHC string format
	TOTPSecret   string // base32; sealed at rest
	Disabled     bool
	FailedLogins int       // consecutive failures since the last success
	LockedUntil  time.Time // logins refused until then
	CreatedAt    time.Time
}

// Can reports whether the account may act in role r.
func (a Account) Can(r Role) bool {
	return !a.Disabled && (a.Role == r || a.Role == RoleAdmin)
}

// Session is a signed-in staff member's session. Only a keyed hash of the
// session token is stored, so a stolen database does not let anyone in.
type Session struct {
	TokenHash string
	AccountID string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Decision is a reviewer's judgement on whether two records describe the
// same person. It overrides the linkage model for that pair.
type Decision string

// The decisions a reviewer can take.
const (
	Same      Decision = "same"
	Different Decision = "different"
	Unsure    Decision = "unsure"
)

// Valid reports whether d is a known decision.
func (d Decision) Valid() bool { return d == Same || d == Different || d == Unsure }

// PairDecision is a decision on a pair of records; RecordA < RecordB.
type PairDecision struct {
	RecordA, RecordB string
	Decision         Decision
	Actor            string
	At               time.Time
}

// CaseState is where a family's case stands with the caseworkers.
type CaseState string

// The states of a case.
const (
	CaseQueued   CaseState = "queued"   // news to deliver, no caseworker yet
	CaseAssigned CaseState = "assigned" // a caseworker has taken it
	CaseTold     CaseState = "told"     // the family was told
)

// Case is news a caseworker must bring to a family in person: an inquiry
// whose person has a sensitive status.
type Case struct {
	InquiryID  string
	State      CaseState
	AssignedTo string // account id
	Reason     Status // the status that opened the case
	// How and when the family was told, sealed at rest.
	Delivery  string
	UpdatedAt time.Time
	CreatedAt time.Time
}

// Staff is the part of the store behind the staff side of the web
// application: accounts, sessions, reviewers' decisions and caseworkers'
// cases. The SQL stores implement it with Store.
type Staff interface {
	CreateAccount(ctx context.Context, actor string, a Account) (Account, error)
	// UpdateAccount stores a's password hash, second factor, role,
	// disabled flag and login counters.
	UpdateAccount(ctx context.Context, actor string, a Account) error
	AccountByName(ctx context.Context, username string) (Account, error)
	AccountByID(ctx context.Context, id string) (Account, error)
	Accounts(ctx context.Context) ([]Account, error)

	// Sessions are not part of the audit chain (they change on every
	// sign-in); signing in and out are.
	CreateSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, tokenHash string) (Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	// UseTOTPStep records the time step of a one-time code used to sign
	// in; ECONFLICT if that step or a later one was used already.
	UseTOTPStep(ctx context.Context, accountID string, step int64) error

	// Decide records a reviewer's decision on a pair of records.
	Decide(ctx context.Context, actor string, d PairDecision) error
	Decisions(ctx context.Context) ([]PairDecision, error)
	// SplitPerson moves records out of their person into a new one and
	// returns its id.
	SplitPerson(ctx context.Context, actor string, recordIDs []string) (string, error)

	// OpenCase queues an inquiry for a caseworker; an open case is left
	// as it is.
	OpenCase(ctx context.Context, actor, inquiryID string, reason Status) (Case, error)
	// UpdateCase stores a case as changed from the version read (its
	// UpdatedAt); ECONFLICT if someone changed it meanwhile.
	UpdateCase(ctx context.Context, actor string, c Case) error
	Cases(ctx context.Context) ([]Case, error)
	CaseOf(ctx context.Context, inquiryID string) (Case, error)
	Inquiry(ctx context.Context, id string) (Inquiry, error)

	// AddAttachment stores a file (already stripped of metadata) with a
	// record, sealed; Attachments returns a record's files.
	AddAttachment(ctx context.Context, actor string, a Attachment) (Attachment, error)
	Attachments(ctx context.Context, recordID string) ([]Attachment, error)

	// SetPublished allows or withdraws publication of a person on the
	// public list.
	SetPublished(ctx context.Context, actor, personID string, allowed bool) error
	Published(ctx context.Context) (map[string]bool, error)
}

// Attachment is a file that came with a record, such as a witness's photo.
type Attachment struct {
	ID          string
	RecordID    string
	ContentType string
	Data        []byte // sealed at rest
	CreatedAt   time.Time
}
