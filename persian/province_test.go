package persian

import "testing"

func TestProvince(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"تهران", "تهران", true},
		{"Tehran", "تهران", true},
		{"TEHRAN ", "تهران", true},
		{"استان تهران", "تهران", true},
		{"Tehran Province", "تهران", true},
		{"Province of Tehran", "تهران", true},
		{"Kurdistan", "کردستان", true},
		{"Kordestan", "کردستان", true},
		{"كردستان", "کردستان", true}, // Arabic kaf
		{"Sistan-Baluchestan", "سیستان و بلوچستان", true},
		{"Sistan & Baluchistan", "سیستان و بلوچستان", true},
		{"سیستان وبلوچستان", "سیستان و بلوچستان", true},
		{"East Azerbaijan", "آذربایجان شرقی", true},
		{"آذربايجان شرقي", "آذربایجان شرقی", true}, // Arabic yeh
		{"Azarbaijan-e Sharqi", "آذربایجان شرقی", true},
		{"Esfahan", "اصفهان", true},
		{"Kohgiluyeh and Boyer-Ahmad", "کهگیلویه و بویراحمد", true},
		{"Khorasan Razavi", "خراسان رضوی", true},
		{"Mashhad", "", false}, // a city, not a province
		{"Evin", "", false},
		{"", "", false},
	} {
		got, ok := Province(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Province(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	// Every name in the table finds its own province, and no key is
	// claimed by two provinces.
	seen := map[string]string{}
	for _, names := range provinces {
		for _, n := range names {
			if got, _ := Province(n); got != names[0] {
				t.Errorf("Province(%q) = %q, want %q", n, got, names[0])
			}
			k := provinceKey(n)
			if other, ok := seen[k]; ok && other != names[0] {
				t.Errorf("key %q of %q is also %q's", k, n, other)
			}
			seen[k] = names[0]
		}
	}
}
