package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestGracefulShutdown: a request in flight when the server is told to
// stop (SIGTERM cancels the context) still gets its whole answer; new
// connections are refused; the process exits 0 after closing the store.
func TestGracefulShutdown(t *testing.T) {
	logs := &syncBuffer{}
	dir := t.TempDir()
	env := map[string]string{"PEYVAND_DB": dir + "/p.db", "PEYVAND_KEY_FILE": dir + "/p.key"}
	m := &Main{Stdout: io.Discard, Stderr: logs, Getenv: func(k string) string { return env[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}) }()
	re := regexp.MustCompile(`msg=listening url=http://(127\.0\.0\.1:\d+)/`)
	var addr string
	for deadline := time.Now().Add(30 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatalf("server did not start:\n%s", logs.String())
	}

	// A client starts a form submission and sends half its body.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "code=K7QM-2XHD-9PRT-BC4W-ZE5N&csrf=none"
	io.WriteString(conn, "POST /lookup HTTP/1.1\r\nHost: "+addr+"\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: "+strconv.Itoa(len(body))+"\r\nConnection: close\r\n\r\n"+body[:10])
	time.Sleep(200 * time.Millisecond) // the handler is now reading the body

	cancel() // what SIGTERM does
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(logs.String(), "shutting down"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no shutdown began")
		}
	}
	time.Sleep(100 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted during shutdown")
	}
	select {
	case code := <-done:
		t.Fatalf("serve exited (%d) with a request in flight", code)
	default:
	}

	// The rest of the body arrives; the answer is whole.
	io.WriteString(conn, body[10:])
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	page, err := io.ReadAll(resp.Body)
	if err != nil || !strings.Contains(string(page), "</html>") {
		t.Fatalf("the answer was cut: %v, %d bytes", err, len(page))
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d:\n%s", code, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not exit after its last request")
	}
}
