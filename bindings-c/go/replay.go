package sendivent

/*
#include "sendivent_cgo.h"

// The Go side of a ReplayStore (replay_export.go).
extern _Bool sendiventGoReplayInsert(void *userdata, char *key, double ttl_seconds, int64_t now, char *error_buf,
                                     size_t error_buf_len);
extern void sendiventGoReplayFree(void *userdata);

// A guard over a Go ReplayStore: the exported functions as the callbacks libsendivent takes.
static sendivent_result sendivent_go_replay_guard_new(void *userdata, const char *namespace_prefix,
                                                      sendivent_replay_guard **out_guard, sendivent_error **out_err) {
  return sendivent_replay_guard_new_custom((sendivent_replay_insert_fn)sendiventGoReplayInsert, userdata,
                                           (sendivent_userdata_free_fn)sendiventGoReplayFree, namespace_prefix,
                                           out_guard, out_err);
}
*/
import "C"

import (
	"fmt"
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"
)

// ReplayStore is where a ReplayGuard records the ids of verified webhooks: implement it to keep
// them in your own database or key-value store (NewReplayGuard).
type ReplayStore interface {
	// InsertIfAbsent records key for ttl from now (the verification's clock) unless it is
	// recorded, atomically: of concurrent calls with one key exactly one returns true. It returns
	// true when the key was not recorded (a new webhook), false when it was (a duplicate). An
	// error means the store failed: the verification then fails with REPLAY_STORE_ERROR (class
	// ReplayStoreError), and the receiver answers 5xx so that the sender retries. It may be
	// called from many goroutines at once.
	InsertIfAbsent(key string, now time.Time, ttl time.Duration) (bool, error)
}

// ReplayGuard refuses a second delivery of one webhook (docs/contract.md §2 "Webhook replays"):
// Verifier.VerifyOnce records the webhook-id of every verified webhook for as long as its
// timestamp could pass the tolerance check, and a repeat is an error of class
// ClassWebhookDuplicate (answer it 2xx and do not handle it again). A ReplayGuard is safe for
// concurrent use; Close releases it.
type ReplayGuard struct {
	mu   sync.RWMutex
	ptr  *C.sendivent_replay_guard
	kind string
}

// ReplayGuardOption configures a ReplayGuard.
type ReplayGuardOption func(*replayGuardOptions)

type replayGuardOptions struct {
	namespace  *string
	maxEntries int
}

// WithNamespace sets the prefix of the stored keys (default "sendivent:webhook:"), e.g. one per
// endpoint sharing a Redis.
func WithNamespace(prefix string) ReplayGuardOption {
	return func(o *replayGuardOptions) { o.namespace = &prefix }
}

// WithMaxEntries bounds an in-memory guard to n ids (default 100000); when full, the id closest
// to expiry makes room. Other guards ignore it.
func WithMaxEntries(n int) ReplayGuardOption {
	return func(o *replayGuardOptions) { o.maxEntries = n }
}

func collectGuardOptions(opts []ReplayGuardOption) (replayGuardOptions, *C.char) {
	var o replayGuardOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.namespace == nil {
		return o, nil
	}
	return o, cString(*o.namespace)
}

// NewMemoryReplayGuard keeps ids in this process's memory, bounded in entries and time. Use a
// shared store (NewRedisReplayGuard, NewReplayGuard) when several processes receive one
// endpoint's webhooks.
func NewMemoryReplayGuard(opts ...ReplayGuardOption) (*ReplayGuard, error) {
	o, namespace := collectGuardOptions(opts)
	defer freeAll(namespace)
	if o.maxEntries < 0 {
		return nil, sdkError(CodeInvalidArgument, fmt.Sprintf("WithMaxEntries(%d): the bound must be positive", o.maxEntries))
	}
	var ptr *C.sendivent_replay_guard
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_replay_guard_new_memory(C.size_t(o.maxEntries), namespace, &ptr, &cerr), cerr); err != nil {
		return nil, err
	}
	return newReplayGuard(ptr, "memory"), nil
}

// NewRedisReplayGuard keeps ids in Redis (url: redis://host:port/db) with SET NX PX, atomic
// across every process sharing the server. The connection opens on first use and reopens after
// a failure; a malformed URL is REPLAY_STORE_ERROR.
func NewRedisReplayGuard(url string, opts ...ReplayGuardOption) (*ReplayGuard, error) {
	_, namespace := collectGuardOptions(opts)
	curl := cString(url)
	defer freeAll(namespace, curl)
	var ptr *C.sendivent_replay_guard
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_replay_guard_new_redis(curl, namespace, &ptr, &cerr), cerr); err != nil {
		return nil, err
	}
	return newReplayGuard(ptr, "redis"), nil
}

// NewReplayGuard keeps ids in store, your own ReplayStore.
func NewReplayGuard(store ReplayStore, opts ...ReplayGuardOption) (*ReplayGuard, error) {
	if store == nil {
		return nil, sdkError(CodeInvalidArgument, "NewReplayGuard: the store is nil")
	}
	_, namespace := collectGuardOptions(opts)
	defer freeAll(namespace)
	// The library holds a C copy of a handle to the store (cgo forbids keeping Go pointers in C
	// memory) and releases it through sendiventGoReplayFree when the guard is freed.
	handle := (*C.uintptr_t)(C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0)))))
	*handle = C.uintptr_t(cgo.NewHandle(store))
	var ptr *C.sendivent_replay_guard
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_go_replay_guard_new(unsafe.Pointer(handle), namespace, &ptr, &cerr), cerr); err != nil {
		// A failed construction does not take the handle.
		cgo.Handle(*handle).Delete()
		C.free(unsafe.Pointer(handle))
		return nil, err
	}
	return newReplayGuard(ptr, fmt.Sprintf("%T", store)), nil
}

func newReplayGuard(ptr *C.sendivent_replay_guard, kind string) *ReplayGuard {
	g := &ReplayGuard{ptr: ptr, kind: kind}
	runtime.SetFinalizer(g, (*ReplayGuard).Close)
	return g
}

// Close releases the guard once every verification using it has returned; verifications after
// Close fail with INVALID_ARGUMENT. Close is idempotent.
func (g *ReplayGuard) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ptr != nil {
		C.sendivent_replay_guard_free(g.ptr)
		g.ptr = nil
		runtime.SetFinalizer(g, nil)
	}
	return nil
}

// use runs fn with the live guard, or fails when it is closed.
func (g *ReplayGuard) use(fn func(*C.sendivent_replay_guard) error) error {
	if g == nil {
		return sdkError(CodeInvalidArgument, "the replay guard is nil")
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.ptr == nil {
		return sdkError(CodeInvalidArgument, "the replay guard is closed")
	}
	err := fn(g.ptr)
	runtime.KeepAlive(g)
	return err
}

// Format prints the guard, for every fmt verb, as the kind of its store ("memory", "redis", or
// your store's type): never a Redis URL, which may hold a password.
func (g *ReplayGuard) Format(f fmt.State, verb rune) {
	if g == nil {
		fmt.Fprint(f, "sendivent.ReplayGuard(nil)")
		return
	}
	fmt.Fprintf(f, "sendivent.ReplayGuard{%s}", g.kind)
}
