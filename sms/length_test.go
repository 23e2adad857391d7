package sms

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"peyvand"
)

// cities are real Iranian cities, in both scripts, for realistic reports.
var cities = [][2]string{
	{"تهران", "Tehran"}, {"مشهد", "Mashhad"}, {"اصفهان", "Isfahan"}, {"کرج", "Karaj"}, {"شیراز", "Shiraz"},
	{"تبریز", "Tabriz"}, {"قم", "Qom"}, {"اهواز", "Ahvaz"}, {"کرمانشاه", "Kermanshah"}, {"ارومیه", "Urmia"},
	{"رشت", "Rasht"}, {"زاهدان", "Zahedan"}, {"همدان", "Hamedan"}, {"کرمان", "Kerman"}, {"یزد", "Yazd"},
	{"اردبیل", "Ardabil"}, {"بندرعباس", "Bandar Abbas"}, {"سنندج", "Sanandaj"}, {"مهاباد", "Mahabad"},
	{"ایذه", "Izeh"}, {"جوانرود", "Javanrud"}, {"سقز", "Saqqez"}, {"خاش", "Khash"}, {"آبادان", "Abadan"},
}

// surnameSuffixes make family names the way many Persian ones are made
// from a given name: Hosseini, Rezaei, Ahmadzadeh, Alipour, Karimian.
var surnameSuffixes = [][2]string{{"ی", "i"}, {"ی", "i"}, {"زاده", "zadeh"}, {"پور", "pour"}, {"یان", "ian"}, {"", ""}}

// realisticReports makes n reports like the field sends: names from
// PNGT-26K in Persian script or romanised, a father's name mostly, a
// city, a date in the weeks of the crackdown, an age or gender sometimes.
func realisticReports(t testing.TB, n int) []Report {
	all := readGivenNames(t)
	var male []givenName
	for _, g := range all {
		if g.gender == "m" {
			male = append(male, g)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	statuses := []peyvand.Status{peyvand.StatusKilled, peyvand.StatusDetained, peyvand.StatusDetained,
		peyvand.StatusInjured, peyvand.StatusMissing, peyvand.StatusReleased}
	out := make([]Report, n)
	for i := range out {
		persianScript := rng.IntN(2) == 0
		pick := func(g givenName) string {
			if persianScript {
				return g.fa
			}
			return title(g.latin)
		}
		given, fam, suffix, city := all[rng.IntN(len(all))], male[rng.IntN(len(male))], surnameSuffixes[rng.IntN(len(surnameSuffixes))], cities[rng.IntN(len(cities))]
		r := Report{Sender: NewSenderID(), Seq: uint32(1 + rng.IntN(500)), GivenName: pick(given),
			Status: statuses[rng.IntN(len(statuses))], Date: peyvand.Date{Year: 2026, Month: 1, Day: 1 + rng.IntN(28)}}
		if persianScript {
			r.FamilyName, r.Place = fam.fa+suffix[0], city[0]
		} else {
			r.FamilyName, r.Place = title(fam.latin)+suffix[1], city[1]
		}
		if rng.IntN(5) > 0 {
			r.FatherName = pick(male[rng.IntN(len(male))])
		}
		if rng.IntN(10) == 0 {
			r.Date.Day = 0
		}
		if rng.IntN(2) == 0 {
			r.Age = 15 + rng.IntN(50)
		}
		if rng.IntN(3) > 0 {
			r.Gender = peyvand.GenderMale
			if given.gender == "f" {
				r.Gender = peyvand.GenderFemale
			}
		}
		out[i] = r
	}
	return out
}

// TestLengthDistribution measures the length of realistic reports as
// sent (no separators) and as read out (groups of five with dashes), and
// requires 99% of them to fit two SMS segments (306 GSM-7 characters).
func TestLengthDistribution(t *testing.T) {
	reports := realisticReports(t, 3000)
	k := testKey()
	var compact, grouped []int
	for _, r := range reports {
		s, err := Encode(r, k.Key)
		if err != nil {
			t.Fatalf("%+v: %v", r, err)
		}
		compact = append(compact, len(s))
		grouped = append(grouped, len(Group(s, 5)))
	}
	for _, d := range []struct {
		name string
		v    []int
	}{{"no separators", compact}, {"groups of 5", grouped}} {
		sort.Ints(d.v)
		q := func(p float64) int { return d.v[int(p*float64(len(d.v)-1))] }
		within := func(limit int) string {
			n := sort.SearchInts(d.v, limit+1)
			return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(len(d.v)))
		}
		t.Logf("%d reports, %s: min %d, median %d, p90 %d, p99 %d, max %d; ≤160 (1 SMS): %s, ≤306 (2 SMS): %s",
			len(d.v), d.name, q(0), q(0.5), q(0.9), q(0.99), q(1), within(160), within(306))
		if q(0.99) > 306 {
			t.Errorf("%s: p99 %d > 306", d.name, q(0.99))
		}
	}
	// The typical report of the issue: two names of eight letters, a
	// father's name, status, date, city.
	typical := Report{Sender: "K7M2X9", Seq: 120, GivenName: "Mohammad", FamilyName: "Hosseini", FatherName: "Gholamreza",
		Status: peyvand.StatusKilled, Date: peyvand.Date{Year: 2026, Month: 1, Day: 9}, Place: "Kermanshah"}
	s := mustEncode(t, typical, k)
	t.Logf("typical report: %d characters, %d in groups of five", len(s), len(Group(s, 5)))
	if len(Group(s, 5)) > 306 {
		t.Errorf("typical report: %d characters", len(Group(s, 5)))
	}
}
