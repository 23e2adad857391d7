package sqlstore_test

import (
	"testing"
	"time"

	"peyvand"
	"peyvand/sqlstore"
	"peyvand/storetest"
)

// TestRetention runs retention policies in turn on the same store: an open
// inquiry and a case not yet told keep their contact whatever the period;
// a closed inquiry and a told case lose theirs once the period has run
// out; a dry run and a second run change nothing.
func TestRetention(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.new(t)
			s := mustOpen(t, db, storetest.TestKeys(t, 1))
			inquiry := func(state peyvand.InquiryState, contact string) string {
				in, err := s.CreateInquiry(ctx, actor, peyvand.Inquiry{Contact: contact, State: state},
					peyvand.Record{FullName: "Test Person"}, peyvand.NewInquiryCode())
				if err != nil {
					t.Fatal(err)
				}
				return in.ID
			}
			caseOf := func(id string, state peyvand.CaseState) {
				c, err := s.OpenCase(ctx, actor, id, peyvand.StatusKilled)
				if err != nil {
					t.Fatal(err)
				}
				c.State, c.Delivery = state, "reached through a cousin"
				if err := s.UpdateCase(ctx, actor, c); err != nil {
					t.Fatal(err)
				}
			}
			open := inquiry(peyvand.InquiryOpen, "+00 000 0001")
			closed := inquiry(peyvand.InquiryClosed, "+00 000 0002")
			told := inquiry(peyvand.InquiryOpen, "+00 000 0003")
			caseOf(told, peyvand.CaseTold)
			assigned := inquiry(peyvand.InquiryOpen, "+00 000 0004")
			caseOf(assigned, peyvand.CaseAssigned)
			later := time.Now().Add(100 * 24 * time.Hour)
			entries := mustVerify(t, s, "before").Entries

			steps := []struct {
				name   string
				policy sqlstore.RetentionPolicy
				want   sqlstore.RetentionReport
				// entries retention adds to the chain
				entries int64
			}{
				{"period not run out", sqlstore.RetentionPolicy{ContactsAfter: 200 * 24 * time.Hour, Now: later},
					sqlstore.RetentionReport{NotYetDue: 2}, 0},
				{"dry run", sqlstore.RetentionPolicy{ContactsAfter: 90 * 24 * time.Hour, Now: later, DryRun: true},
					sqlstore.RetentionReport{InquiryContacts: 2, CaseDeliveries: 1}, 0},
				{"due", sqlstore.RetentionPolicy{ContactsAfter: 90 * 24 * time.Hour, Now: later, Batch: 1},
					sqlstore.RetentionReport{InquiryContacts: 2, CaseDeliveries: 1}, 2},
				{"again", sqlstore.RetentionPolicy{ContactsAfter: 90 * 24 * time.Hour, Now: later},
					sqlstore.RetentionReport{}, 0},
			}
			for _, st := range steps {
				rep, err := s.ApplyRetention(ctx, actor, st.policy)
				if err != nil {
					t.Fatalf("%s: %v", st.name, err)
				}
				if rep != st.want {
					t.Fatalf("%s: report %+v, want %+v", st.name, rep, st.want)
				}
				got := mustVerify(t, s, st.name).Entries
				if got != entries+st.entries {
					t.Fatalf("%s: %d audit entries, want %d", st.name, got, entries+st.entries)
				}
				entries = got
			}

			for _, c := range []struct {
				id, contact, delivery string
			}{
				{open, "+00 000 0001", ""},
				{closed, "", ""},
				{told, "", ""},
				{assigned, "+00 000 0004", "reached through a cousin"},
			} {
				in, err := s.Inquiry(ctx, c.id)
				if err != nil {
					t.Fatal(err)
				}
				if in.Contact != c.contact {
					t.Errorf("inquiry %s: contact %q, want %q", c.id, in.Contact, c.contact)
				}
				if cs, err := s.CaseOf(ctx, c.id); err == nil && cs.Delivery != c.delivery {
					t.Errorf("case %s: delivery %q, want %q", c.id, cs.Delivery, c.delivery)
				}
			}
			if cs, err := s.CaseOf(ctx, told); err != nil || cs.State != peyvand.CaseTold {
				t.Fatalf("the told case after retention = %+v, %v: its state must stay", cs, err)
			}
		})
	}
}

// TestRetentionRestartsOnActivity: a told case updated recently is not
// due, however old the inquiry.
func TestRetentionRestartsOnActivity(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := mustOpen(t, b.new(t), storetest.TestKeys(t, 1))
			in, err := s.CreateInquiry(ctx, actor, peyvand.Inquiry{Contact: "+00 000 0001"},
				peyvand.Record{FullName: "Test Person"}, peyvand.NewInquiryCode())
			if err != nil {
				t.Fatal(err)
			}
			c, err := s.OpenCase(ctx, actor, in.ID, peyvand.StatusKilled)
			if err != nil {
				t.Fatal(err)
			}
			c.State = peyvand.CaseTold
			if err := s.UpdateCase(ctx, actor, c); err != nil {
				t.Fatal(err)
			}
			// Ten days after the case was told, with a period of thirty.
			rep, err := s.ApplyRetention(ctx, actor, sqlstore.RetentionPolicy{ContactsAfter: 30 * 24 * time.Hour,
				Now: time.Now().Add(10 * 24 * time.Hour)})
			if err != nil || rep != (sqlstore.RetentionReport{NotYetDue: 1}) {
				t.Fatalf("retention = %+v, %v; want the contact kept", rep, err)
			}
		})
	}
}
