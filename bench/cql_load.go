// Command cql_load measures Helenus over CQL with gocql: inserts of
// wines-shaped rows (int key + 12 floats) from many goroutines with many
// requests in flight, then a full-table paged scan.
//
//	cql_load -port 9042 -rows 200000 -workers 8 -inflight 32
//
// Prints a small table and one machine-readable line:
//
//	cql_load insert_rows_per_s=... scan_rows_per_s=...
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocql/gocql"
)

const table = "helenus_bench.wines_load"

var floatColumns = []string{"fixed_acidity", "volatile_acidity", "citric_acid",
	"residual_sugar", "chlorides", "free_sulfur_dioxide", "total_sulfur_dioxide",
	"density", "ph", "sulphates", "alcohol", "quality"}

func connect(port, conns int) (*gocql.Session, error) {
	cluster := gocql.NewCluster("127.0.0.1")
	cluster.Port = port
	cluster.ProtoVersion = 4
	cluster.NumConns = conns
	cluster.Timeout = 30 * time.Second
	cluster.ConnectTimeout = 10 * time.Second
	return cluster.CreateSession()
}

func createSchema(s *gocql.Session) error {
	cols := ""
	for _, c := range floatColumns {
		cols += ", " + c + " float"
	}
	for _, q := range []string{
		"DROP KEYSPACE IF EXISTS helenus_bench",
		"CREATE KEYSPACE helenus_bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE " + table + " (wineid int PRIMARY KEY" + cols + ")",
	} {
		if err := s.Query(q).Exec(); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

func insertStatement() string {
	cols, marks := "wineid", "?"
	for _, c := range floatColumns {
		cols += ", " + c
		marks += ", ?"
	}
	return "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")"
}

func rowValues(id int) []interface{} {
	values := []interface{}{id}
	for j := range floatColumns {
		values = append(values, float32(id%1000)/float32(j+3))
	}
	return values
}

// insertAll runs workers*inflight goroutines, each executing synchronous
// inserts, so that many requests are in flight on the session's connections.
func insertAll(s *gocql.Session, rows, goroutines int) error {
	stmt := insertStatement()
	var next int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for firstErr.Load() == nil {
				id := int(atomic.AddInt64(&next, 1))
				if id > rows {
					return
				}
				if err := s.Query(stmt, rowValues(id)...).Exec(); err != nil {
					firstErr.Store(fmt.Errorf("insert %d: %w", id, err))
				}
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return err
	}
	return nil
}

func scanAll(s *gocql.Session, pageSize int) (int, error) {
	iter := s.Query("SELECT * FROM " + table).PageSize(pageSize).Iter()
	n := 0
	for {
		row := map[string]interface{}{}
		if !iter.MapScan(row) {
			break
		}
		n++
	}
	return n, iter.Close()
}

type result struct {
	what    string
	rows    int
	elapsed time.Duration
}

func (r result) rate() float64 { return float64(r.rows) / r.elapsed.Seconds() }

func run(port, rows, workers, inflight, conns, pageSize int) ([]result, error) {
	s, err := connect(port, conns)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	defer s.Close()
	if err := createSchema(s); err != nil {
		return nil, err
	}
	start := time.Now()
	if err := insertAll(s, rows, workers*inflight); err != nil {
		return nil, err
	}
	insert := result{"cql insert (gocql)", rows, time.Since(start)}
	start = time.Now()
	n, err := scanAll(s, pageSize)
	if err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	results := []result{insert, {"cql scan (gocql)", n, time.Since(start)}}
	if n != rows {
		return results, fmt.Errorf("scan returned %d rows, inserted %d", n, rows)
	}
	return results, nil
}

func portFromEnv() int {
	if p, err := strconv.Atoi(os.Getenv("HELENUS_PORT")); err == nil {
		return p
	}
	return 9042
}

func main() {
	port := flag.Int("port", portFromEnv(), "CQL port on 127.0.0.1 (default $HELENUS_PORT or 9042)")
	rows := flag.Int("rows", 100000, "rows to insert")
	workers := flag.Int("workers", 8, "worker groups")
	inflight := flag.Int("inflight", 32, "goroutines (requests in flight) per worker group")
	conns := flag.Int("conns", 2, "connections per host")
	pageSize := flag.Int("page", 5000, "page size of the scan")
	timeout := flag.Duration("timeout", 20*time.Minute, "whole-run timeout")
	flag.Parse()
	time.AfterFunc(*timeout, func() {
		fmt.Fprintln(os.Stderr, "cql_load: timed out")
		os.Exit(1)
	})
	results, err := run(*port, *rows, *workers, *inflight, *conns, *pageSize)
	if len(results) > 0 {
		report(results, *workers, *inflight, *conns, *pageSize)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cql_load:", err)
		os.Exit(1)
	}
}

func report(results []result, workers, inflight, conns, pageSize int) {
	fmt.Printf("%d goroutines (%d workers x %d in flight), %d connections, scan page %d\n",
		workers*inflight, workers, inflight, conns, pageSize)
	fmt.Printf("%-20s %10s %10s %12s\n", "what", "rows", "seconds", "rows/s")
	for _, r := range results {
		fmt.Printf("%-20s %10d %10.2f %12.0f\n", r.what, r.rows, r.elapsed.Seconds(), r.rate())
	}
	fmt.Printf("cql_load insert_rows_per_s=%.0f scan_rows_per_s=%.0f\n",
		results[0].rate(), results[1].rate())
}
