// Package persian reads the Persian-language data that arrives in Peyvand's lists — names in
// Persian or Latin script, Jalali or Gregorian dates, Persian digits and national IDs — into
// canonical forms that import can check and record linkage can compare.
package persian
