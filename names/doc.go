// Package names turns personal names written in Persian or Latin script into tokens and phonetic keys that record linkage can compare across scripts and romanisations.
package names
