// The client side of the0's runtime for the contract suite's secret fuzz: the runtime's MongoDB URI
// parsing and authentication and its MinIO client (runtime/cmd/app/main.go), with the client
// libraries at the versions runtime/go.mod pins, on many generated secrets at once. The runtime's
// own start-up (bot-controller, gc) runs for real in tests/the0. Each command prints JSON lines on
// stdout; a failure prints {"error": ...} and exits 1.
//
//	minio        MINIO_ENDPOINT, MINIO_BUCKET, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, MINIO_USE_SSL: the
//	             controller's bucket check alone -> {"bucketExists":...}.
//	parse-mongo  one URI per stdin line -> {"user","password","hosts","authSource"} or {"error"}.
//	mongo-auth   one URI per stdin line -> {"ok":true} after connect+ping, or {"error"}.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"go.mongodb.org/mongo-driver/mongo"
	mongoOptions "go.mongodb.org/mongo-driver/mongo/options"
	"go.mongodb.org/mongo-driver/x/mongo/driver/connstring"
)

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: runtime-client minio|parse-mongo|mongo-auth"))
	}
	var err error
	switch os.Args[1] {
	case "minio":
		err = minioOnly()
	case "parse-mongo":
		err = eachLine(parseMongo)
	case "mongo-auth":
		err = eachLine(mongoAuth)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	emit(map[string]any{"error": err.Error()})
	os.Exit(1)
}

func emit(v any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

// createMongoClient as the runtime does it: ApplyURI, connect and ping within 10 s.
func createMongoClient(uri string) (*mongo.Client, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, err := mongo.Connect(ctx, mongoOptions.Client().ApplyURI(uri))
	if err != nil {
		return nil, fmt.Errorf("failed to connect to MongoDB: %w", err)
	}
	if err := client.Ping(ctx, nil); err != nil {
		return nil, fmt.Errorf("failed to ping MongoDB: %w", err)
	}
	return client, nil
}

// The MinIO client of the controller and gc: endpoint is host:port, Secure from MINIO_USE_SSL == "true".
func minioClient() (*minio.Client, error) {
	endpoint, access, secret := os.Getenv("MINIO_ENDPOINT"), os.Getenv("MINIO_ACCESS_KEY"), os.Getenv("MINIO_SECRET_KEY")
	if access == "" || secret == "" {
		return nil, fmt.Errorf("MinIO credentials (MINIO_ACCESS_KEY, MINIO_SECRET_KEY) are required")
	}
	if endpoint == "" {
		return nil, fmt.Errorf("MINIO_ENDPOINT is required")
	}
	return minio.New(endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(access, secret, ""),
		Secure: os.Getenv("MINIO_USE_SSL") == "true",
	})
}

func minioOnly() error {
	mc, err := minioClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	exists, err := mc.BucketExists(ctx, os.Getenv("MINIO_BUCKET"))
	if err != nil {
		return fmt.Errorf("MinIO bucket check: %w", err)
	}
	emit(map[string]any{"bucketExists": exists})
	return nil
}

func parseMongo(uri string) map[string]any {
	cs, err := connstring.ParseAndValidate(uri)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	return map[string]any{"user": cs.Username, "password": cs.Password, "hosts": cs.Hosts, "authSource": cs.AuthSource}
}

func mongoAuth(uri string) map[string]any {
	client, err := createMongoClient(uri)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	_ = client.Disconnect(context.Background())
	return map[string]any{"ok": true}
}

func eachLine(f func(string) map[string]any) error {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	for in.Scan() {
		emit(f(in.Text()))
	}
	return in.Err()
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
