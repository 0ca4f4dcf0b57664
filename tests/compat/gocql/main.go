// Command gocql_roundtrip checks Helenus against the gocql driver, unmodified.
//
// It connects with a default ClusterConfig (protocol v4), creates a table
// with a spread of types, inserts rows with prepared statements from many
// goroutines, then reads every row back with a paged scan (PageSize 100) and
// by key and compares all values. Exit code 1 on any mismatch.
// -compressor snappy|lz4 repeats it with compressed frames.
//
//	go run . -port 9042 -rows 1000 [-compressor lz4]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/gocql/gocql"
	"github.com/gocql/gocql/lz4"
)

const keyspace = "gocql_compat"

type row struct {
	ID      int
	Name    string
	Score   float64
	Big     int64
	Items   []int
	Counts  map[string]int
	UID     gocql.UUID
	Created time.Time
	Flag    bool
	Data    []byte
}

const columns = "id, name, score, big, items, counts, uid, created, flag, data"

func makeRow(i int) row {
	uid, _ := gocql.ParseUUID(fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
	return row{
		ID:      i,
		Name:    fmt.Sprintf("row-%d-é", i),
		Score:   float64(i) / 7.0,
		Big:     int64(i) * 1_000_000_007,
		Items:   []int{i, -i, i * 2},
		Counts:  map[string]int{"a": i, "b": i + 1},
		UID:     uid,
		Created: time.UnixMilli(1_600_000_000_000 + int64(i)*1001).UTC(),
		Flag:    i%2 == 0,
		Data:    []byte{byte(i), byte(i >> 8), 0xff},
	}
}

func (r row) values() []interface{} {
	return []interface{}{r.ID, r.Name, r.Score, r.Big, r.Items, r.Counts, r.UID, r.Created, r.Flag, r.Data}
}

func (r *row) targets() []interface{} {
	return []interface{}{&r.ID, &r.Name, &r.Score, &r.Big, &r.Items, &r.Counts, &r.UID, &r.Created, &r.Flag, &r.Data}
}

func diff(want, got row) string {
	switch {
	case want.ID != got.ID:
		return fmt.Sprintf("id %d != %d", got.ID, want.ID)
	case want.Name != got.Name:
		return fmt.Sprintf("name %q != %q", got.Name, want.Name)
	case want.Score != got.Score:
		return fmt.Sprintf("score %v != %v", got.Score, want.Score)
	case want.Big != got.Big:
		return fmt.Sprintf("big %d != %d", got.Big, want.Big)
	case !reflect.DeepEqual(want.Items, got.Items):
		return fmt.Sprintf("items %v != %v", got.Items, want.Items)
	case !reflect.DeepEqual(want.Counts, got.Counts):
		return fmt.Sprintf("counts %v != %v", got.Counts, want.Counts)
	case want.UID != got.UID:
		return fmt.Sprintf("uid %v != %v", got.UID, want.UID)
	case !want.Created.Equal(got.Created):
		return fmt.Sprintf("created %v != %v", got.Created, want.Created)
	case want.Flag != got.Flag:
		return fmt.Sprintf("flag %v != %v", got.Flag, want.Flag)
	case !bytes.Equal(want.Data, got.Data):
		return fmt.Sprintf("data %x != %x", got.Data, want.Data)
	}
	return ""
}

func connect(port int, compressor string) (*gocql.Session, error) {
	cluster := gocql.NewCluster("127.0.0.1")
	cluster.Port = port
	cluster.ProtoVersion = 4
	switch compressor {
	case "snappy":
		cluster.Compressor = gocql.SnappyCompressor{}
	case "lz4":
		cluster.Compressor = lz4.LZ4Compressor{}
	case "", "none":
	default:
		return nil, fmt.Errorf("unknown compressor %q", compressor)
	}
	cluster.Timeout = 30 * time.Second
	cluster.ConnectTimeout = 10 * time.Second
	return cluster.CreateSession()
}

func createSchema(s *gocql.Session) error {
	stmts := []string{
		"DROP KEYSPACE IF EXISTS " + keyspace,
		"CREATE KEYSPACE " + keyspace + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE " + keyspace + ".t (id int PRIMARY KEY, name text, score double, big bigint, " +
			"items list<int>, counts map<text, int>, uid uuid, created timestamp, flag boolean, data blob)",
	}
	for _, q := range stmts {
		if err := s.Query(q).Exec(); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// insertAll inserts rows 1..n from `workers` goroutines, each with several
// asynchronous requests in flight through the shared session.
func insertAll(s *gocql.Session, n, workers int) error {
	insert := "INSERT INTO " + keyspace + ".t (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	ids := make(chan int, n)
	for i := 1; i <= n; i++ {
		ids <- i
	}
	close(ids)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				if err := s.Query(insert, makeRow(i).values()...).Exec(); err != nil {
					errs <- fmt.Errorf("insert %d: %w", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func scanAll(s *gocql.Session, n int) error {
	iter := s.Query("SELECT " + columns + " FROM " + keyspace + ".t").PageSize(100).Iter()
	seen := map[int]bool{}
	for {
		var got row
		if !iter.Scan(got.targets()...) {
			break
		}
		if seen[got.ID] {
			return fmt.Errorf("scan: id %d twice", got.ID)
		}
		seen[got.ID] = true
		if d := diff(makeRow(got.ID), got); d != "" {
			return fmt.Errorf("scan: row %d: %s", got.ID, d)
		}
		if len(seen) > n {
			return fmt.Errorf("scan: more than %d rows", n)
		}
		if iter.NumRows() > 100 {
			return fmt.Errorf("scan: page of %d rows with PageSize 100", iter.NumRows())
		}
	}
	if err := iter.Close(); err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	if len(seen) != n {
		missing := []int{}
		for i := 1; i <= n && len(missing) < 10; i++ {
			if !seen[i] {
				missing = append(missing, i)
			}
		}
		sort.Ints(missing)
		return fmt.Errorf("scan: %d rows, expected %d; first missing %v", len(seen), n, missing)
	}
	return nil
}

func readByKey(s *gocql.Session, n int) error {
	q := "SELECT " + columns + " FROM " + keyspace + ".t WHERE id = ?"
	for i := 1; i <= n; i++ {
		var got row
		if err := s.Query(q, i).Scan(got.targets()...); err != nil {
			return fmt.Errorf("read %d: %w", i, err)
		}
		if d := diff(makeRow(i), got); d != "" {
			return fmt.Errorf("read %d: %s", i, d)
		}
	}
	var count int
	if err := s.Query("SELECT count(*) FROM " + keyspace + ".t").Scan(&count); err != nil {
		return fmt.Errorf("count: %w", err)
	}
	if count != n {
		return fmt.Errorf("count(*) = %d, expected %d", count, n)
	}
	return nil
}

func portFromEnv() int {
	p, err := strconv.Atoi(os.Getenv("HELENUS_PORT"))
	if err != nil {
		return 9042
	}
	return p
}

func run(port, n, workers int, compressor string) error {
	s, err := connect(port, compressor)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer s.Close()
	steps := []struct {
		name string
		f    func() error
	}{
		{"schema", func() error { return createSchema(s) }},
		{"insert", func() error { return insertAll(s, n, workers) }},
		{"paged scan", func() error { return scanAll(s, n) }},
		{"read by key", func() error { return readByKey(s, n) }},
	}
	for _, step := range steps {
		start := time.Now()
		if err := step.f(); err != nil {
			return err
		}
		fmt.Printf("  %-12s ok (%v)\n", step.name, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func main() {
	port := flag.Int("port", portFromEnv(), "CQL port on 127.0.0.1 (default $HELENUS_PORT)")
	n := flag.Int("rows", 1000, "rows to insert")
	workers := flag.Int("workers", 32, "goroutines inserting concurrently")
	compressor := flag.String("compressor", "none", "frame compression: none, snappy or lz4")
	timeout := flag.Duration("timeout", 5*time.Minute, "whole-run timeout")
	flag.Parse()
	time.AfterFunc(*timeout, func() {
		fmt.Println("FAIL gocql: timed out")
		os.Exit(1)
	})
	if err := run(*port, *n, *workers, *compressor); err != nil {
		fmt.Printf("FAIL gocql (compressor %s): %v\n", *compressor, err)
		os.Exit(1)
	}
	fmt.Printf("PASS gocql (compressor %s)\n", *compressor)
}
