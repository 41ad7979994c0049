package sendiventtest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	sendivent "github.com/sendivent/sendivent-sdk/bindings-c/go"
)

// MockAPIKey is the key Mock.Client uses: sendivent-mock accepts any test_ or live_ key.
const MockAPIKey = "test_sendivent_mock"

// mockStartTimeout bounds the wait for the mock's first line.
const mockStartTimeout = 30 * time.Second

// Mock is a running sendivent-mock, a local fake of the Sendivent API (see the README's
// "Testing your integration").
type Mock struct {
	// URL is where the mock listens (http://127.0.0.1:<port>); pass it as the client's BaseURL.
	URL string
	cmd *exec.Cmd
}

// MockBinary is the sendivent-mock that StartMock runs: $SENDIVENT_MOCK_BIN, else
// sendivent-mock on PATH (`pip install sendivent-mock` or `cargo install sendivent-mock`).
func MockBinary() (string, error) {
	if bin := os.Getenv("SENDIVENT_MOCK_BIN"); bin != "" {
		return bin, nil
	}
	bin, err := exec.LookPath("sendivent-mock")
	if err != nil {
		return "", fmt.Errorf("sendivent-mock is not on PATH (pip install sendivent-mock, or set SENDIVENT_MOCK_BIN): %w", err)
	}
	return bin, nil
}

// StartMock starts sendivent-mock on a free port of 127.0.0.1 and stops it when the test ends.
// args are further flags of sendivent-mock ("--no-limits", "--latency-ms", "50", "--fixtures",
// path; see `sendivent-mock --help`). A mock that cannot start fails the test.
//
//	mock := sendiventtest.StartMock(t, "--no-limits")
//	client := mock.Client(t)
//	sent, err := client.Send(ctx, "order.confirmed", "", sendivent.SendRequest{To: "ada@example.com", Payload: map[string]any{}})
func StartMock(t testing.TB, args ...string) *Mock {
	t.Helper()
	bin, err := MockBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"--port", "0"}, args...)...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		t.Fatalf("cannot start %s: %v", bin, err)
	}
	mock := &Mock{cmd: cmd}
	t.Cleanup(mock.stop)
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- strings.TrimSpace(line)
	}()
	select {
	case line := <-lines:
		url, found := strings.CutPrefix(line, "listening on ")
		if !found {
			t.Fatalf("sendivent-mock did not start: it printed %q", line)
		}
		mock.URL = url
	case <-time.After(mockStartTimeout):
		t.Fatalf("sendivent-mock printed nothing within %s", mockStartTimeout)
	}
	return mock
}

// Client is a client of the mock (key MockAPIKey), closed when the test ends.
func (m *Mock) Client(t testing.TB) *sendivent.Client {
	t.Helper()
	client, err := sendivent.NewClient(sendivent.Options{APIKey: MockAPIKey, BaseURL: m.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

func (m *Mock) stop() {
	_ = m.cmd.Process.Kill()
	_ = m.cmd.Wait()
}
