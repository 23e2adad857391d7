// Package sms writes a report about one person as a short, signed text of
// letters and digits that survives SMS gateways, copying by hand and
// reading over a phone, and reads such texts back, hostile ones included.
//
// The format is specified in docs/SMS.md; in short, a text is a version
// symbol, the report's fields packed into bits, an Ed25519 signature by
// the sender, and a four-symbol check code (a Reed–Solomon code over
// GF(2^10)) that catches every single mistyped character and every swap
// of two neighbours and says where the mistake probably is. Every symbol
// is one of Crockford's base32 characters, read case-insensitively.
package sms
