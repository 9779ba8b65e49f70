// The client side of the0's runtime (bot-controller and gc) for the contract suite: the calls the0
// v1.14.0 makes at start-up (runtime/cmd/app/main.go, runtime/internal/.../subscriber.go), with
// the client libraries at the versions runtime/go.mod pins, reading the same environment variables.
// Each command prints JSON lines on stdout; a failure prints {"error": ...} and exits 1.
//
//	controller   MONGO_URI, NATS_URL, MINIO_ENDPOINT, MINIO_BUCKET, MINIO_ACCESS_KEY, MINIO_SECRET_KEY,
//	             MINIO_USE_SSL: Mongo connect+ping, NATS queue subscriptions, MinIO bucket check; prints
//	             {"ready":...}, then waits (up to THE0_CONTRACT_WAIT) for one the0.bot.created message.
//	gc           MONGO_URI, MINIO_ENDPOINT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, MINIO_USE_SSL.
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
	"github.com/nats-io/nats.go"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	mongoOptions "go.mongodb.org/mongo-driver/mongo/options"
	"go.mongodb.org/mongo-driver/x/mongo/driver/connstring"
)

// Subjects the controller's bot and schedule subscribers listen on, in queue group "runtime".
var subjects = []string{
	"the0.bot.created", "the0.bot.updated", "the0.bot.deleted",
	"the0.bot-schedule.created", "the0.bot-schedule.updated", "the0.bot-schedule.deleted",
}

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: runtime-client controller|gc|parse-mongo|mongo-auth"))
	}
	var err error
	switch os.Args[1] {
	case "controller":
		err = controller()
	case "gc":
		err = gc()
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

// The stores both runtime commands open first: MinIO (validated config) and Mongo (connected, pinged).
func openStores() (*minio.Client, *mongo.Client, error) {
	mc, err := minioClient()
	if err != nil {
		return nil, nil, err
	}
	mongoClient, err := createMongoClient(os.Getenv("MONGO_URI"))
	if err != nil {
		return nil, nil, err
	}
	return mc, mongoClient, nil
}

func controller() error {
	mc, mongoClient, err := openStores()
	if err != nil {
		return err
	}
	defer mongoClient.Disconnect(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The subscribers write what they receive into these databases.
	if _, err := mongoClient.Database("bot_runner").Collection("bots").InsertOne(ctx, bson.M{"contract": true}); err != nil {
		return fmt.Errorf("insert into bot_runner.bots: %w", err)
	}

	natsURL := os.Getenv("NATS_URL")
	if natsURL == "" {
		return fmt.Errorf("NATS_URL is empty")
	}
	nc, err := nats.Connect(natsURL)
	if err != nil {
		return fmt.Errorf("failed to connect to NATS: %w", err)
	}
	defer nc.Close()
	received := make(chan *nats.Msg, 1)
	for _, subject := range subjects {
		if _, err := nc.QueueSubscribe(subject, "runtime", func(m *nats.Msg) { received <- m }); err != nil {
			return fmt.Errorf("failed to subscribe to subject %s: %w", subject, err)
		}
	}
	if err := nc.Flush(); err != nil {
		return fmt.Errorf("failed to flush NATS connection: %w", err)
	}

	bucket := os.Getenv("MINIO_BUCKET")
	exists, err := mc.BucketExists(ctx, bucket)
	if err != nil {
		return fmt.Errorf("MinIO bucket %s: %w", bucket, err)
	}
	emit(map[string]any{"ready": true, "natsServer": nc.ConnectedServerName(), "bucket": bucket, "bucketExists": exists})

	wait, err := time.ParseDuration(envOr("THE0_CONTRACT_WAIT", "0s"))
	if err != nil || wait == 0 {
		return err
	}
	select {
	case m := <-received:
		emit(map[string]any{"subject": m.Subject, "data": string(m.Data)})
		return nil
	case <-time.After(wait):
		return fmt.Errorf("no message on the0.* within %s", wait)
	}
}

func gc() error {
	mc, mongoClient, err := openStores()
	if err != nil {
		return err
	}
	defer mongoClient.Disconnect(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	buckets, err := mc.ListBuckets(ctx)
	if err != nil {
		return fmt.Errorf("MinIO list buckets: %w", err)
	}
	names := []string{}
	for _, b := range buckets {
		names = append(names, b.Name)
	}
	emit(map[string]any{"ready": true, "buckets": names})
	return nil
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
