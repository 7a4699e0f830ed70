package uitest

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// BlackHole is an endpoint that accepts connections, reads what is sent and
// never answers: what a client meets behind a proxy or a firewall that has
// gone silent.
type BlackHole struct {
	URL   string
	ln    net.Listener
	open  atomic.Int64
	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

// NewBlackHole listens on a free loopback port.
func NewBlackHole() (*BlackHole, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &BlackHole{URL: "http://" + ln.Addr().String(), ln: ln}
	b.wg.Go(b.accept)
	return b, nil
}

func (b *BlackHole) accept() {
	for {
		c, err := b.ln.Accept()
		if err != nil {
			return
		}
		b.mu.Lock()
		b.conns = append(b.conns, c)
		b.mu.Unlock()
		b.open.Add(1)
		b.wg.Go(func() {
			_, _ = io.Copy(io.Discard, c) // until the client gives up
			b.open.Add(-1)
		})
	}
}

// Open is how many connections the clients hold open.
func (b *BlackHole) Open() int64 { return b.open.Load() }

// Close stops listening and ends every connection.
func (b *BlackHole) Close() {
	b.ln.Close()
	b.mu.Lock()
	for _, c := range b.conns {
		c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
}
