// Command ferretdb-embedded runs FerretDB v1 on its SQLite backend for
// development, tests and CI. It is a thin wrapper around the embeddable
// package, because `go install .../cmd/ferretdb@v1.24.x` builds a binary that
// panics at start-up: the module ships without build/version/version.txt.
// See docs/adr/0001-embedded-database.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("data-dir", "./data", "folder holding one SQLite file per database")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	stdinWatch := flag.Bool("exit-on-stdin-close", false,
		"stop when standard input closes, so that the engine never outlives the process that started it")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded: bad -log-level:", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded: bad -data-dir:", err)
		os.Exit(2)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded: cannot create the data folder:", err)
		os.Exit(2)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded: cannot configure FerretDB:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *stdinWatch {
		go func() {
			// Read until EOF: the parent closed the pipe or died.
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	fmt.Println("ferretdb-embedded: listening on " + *addr)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded: stopped:", err)
		os.Exit(1)
	}
}
