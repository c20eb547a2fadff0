package io.poolgate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A steady load of HTTP requests from a few client threads, each answer recorded (when it was
 * sent, how long it took, status, the node that served it, the problem type), for tests that take
 * backends down under traffic and then look at every answer.
 */
public final class Load implements AutoCloseable {

    /** One answer. */
    public record Answer(long sentNanos, long tookNanos, int status, String node, String body) {

        public String problemType() {
            int i = body.indexOf("\"type\":\"");
            return i < 0 ? "" : body.substring(i + 8, body.indexOf('"', i + 8));
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Answer> answers = new ArrayList<>();

    /** Starts {@code clients} threads, each sending {@code request(i)} back to back. */
    public Load(int clients, Function<Integer, HttpRequest> request) {
        threads = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.execute(() -> {
                for (int i = 0; running.get(); i++) {
                    answers(send(request.apply(client * 1_000_000 + i)));
                }
            });
        }
    }

    /** A JSON POST to the gateway under test. */
    public static HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                + path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** Sends one request and records nothing: for probes from the test itself. */
    public Answer send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(start, System.nanoTime() - start, response.statusCode(),
                    response.headers().firstValue("Poolgate-Node").orElse(""), response.body());
        } catch (java.io.IOException e) {
            return new Answer(start, System.nanoTime() - start, -1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(start, System.nanoTime() - start, -2, "", "interrupted");
        }
    }

    private synchronized void answers(Answer answer) {
        answers.add(answer);
    }

    /** Every answer so far. */
    public synchronized List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Answers sent at or after {@code sinceNanos}. */
    public List<Answer> since(long sinceNanos) {
        return answers().stream().filter(a -> a.sentNanos() >= sinceNanos).toList();
    }

    /** Counts by "status problem-type" (problem type only for errors). */
    public static Map<String, Long> byStatus(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(
                a -> a.status() < 400 ? Integer.toString(a.status()) : a.status() + " " + a.problemType(), TreeMap::new,
                Collectors.counting()));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        threads.awaitTermination(60, TimeUnit.SECONDS);
    }
}
