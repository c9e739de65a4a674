package io.weft.control;

import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.control.ErrorMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

class RequestErrorsTest {

    @TempDir
    Path dir;

    private TestControlPlane cp;

    @BeforeEach
    void start() {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        cp = TestControlPlane.start(dir);
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    @Test
    void malformedJsonIs400() {
        assertBadRequest(cp.post("/v1/instances", ORDERS_TOKEN, "{\"service\": \"orders\", "), "malformed JSON");
        assertBadRequest(cp.post("/v1/instances", ORDERS_TOKEN, "[1, 2]"), "request body must be a JSON object");
        assertBadRequest(cp.post("/v1/instances", ORDERS_TOKEN, "{} {}"), "malformed JSON");
        assertBadRequest(cp.post("/v1/instances", ORDERS_TOKEN, "null"), "request body must be a JSON object");
        assertBadRequest(cp.post("/v1/instances", ORDERS_TOKEN, ""), "body is required");
    }

    @Test
    void missingFieldsAre400NamingEachField() {
        String error = assertBadRequest(cp.post("/v1/instances", ORDERS_TOKEN, "{\"service\":\"orders\"}"), "address");
        assertThat(error).contains("port: is required");
        assertBadRequest(cp.post("/v1/instances", ORDERS_TOKEN, "{\"address\":\"10.0.0.1\",\"port\":1}"),
                "service: is required");
    }

    @Test
    void badFieldsAre400NamingTheField() {
        assertBadRequest(register("\"address\":\"10.0.0.1\",\"port\":70000"), "port: 70000 is outside 1..65535");
        assertBadRequest(register("\"address\":\"10.0.0.1\",\"port\":0"), "port: ");
        assertBadRequest(register("\"address\":\"10.0.0.1\",\"port\":\"eighty\""),
                "port: expected a number, not \"eighty\"");
        assertBadRequest(register("\"address\":[\"10.0.0.1\"],\"port\":80"), "address: expected a string");
        assertBadRequest(register("\"address\":\"10.0.0.1\",\"port\":80,\"labels\":[]"), "labels: expected an object");
        assertBadRequest(register("\"address\":\" \",\"port\":80"), "address: is required");
        assertBadRequest(register("\"address\":\"http://10.0.0.1\",\"port\":80"), "address: ");
        assertBadRequest(register("\"address\":\"10.0.0.1:80\",\"port\":80"), "address: ");
        assertBadRequest(register("\"address\":\"10.0.0.1\",\"port\":80,\"weight\":3"), "weight: unknown field");
        assertBadRequest(register("\"address\":\"10.0.0.1\",\"port\":80,\"labels\":{\"zone\":null}"),
                "labels.zone: null is not allowed");
        assertBadRequest(register("\"address\":\"10.0.0.1\",\"port\":80,\"labels\":{\"zone\":\""
                + "x".repeat(64) + "\"}"), "labels.zone: ");
        String many = IntStream.range(0, 33).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(","));
        assertBadRequest(register("\"address\":\"10.0.0.1\",\"port\":80,\"labels\":{" + many + "}"),
                "labels: 33 labels");
        assertBadRequest(cp.post("/v1/instances", ORDERS_TOKEN,
                "{\"service\":\"Orders!\",\"address\":\"10.0.0.1\",\"port\":80}"), "service: ");
    }

    @Test
    void ipv6AndHostNamesAreFine() {
        assertThat(register("\"address\":\"::1\",\"port\":8080").statusCode()).isEqualTo(201);
        assertThat(register("\"address\":\"[fe80::1]\",\"port\":8080").statusCode()).isEqualTo(201);
        assertThat(register("\"address\":\"orders-1.internal\",\"port\":8080").statusCode()).isEqualTo(201);
        assertThat(cp.snapshot().services().get(0).endpoints()).extracting(e -> e.address())
                .contains("[::1]:8080", "[fe80::1]:8080", "orders-1.internal:8080");
    }

    @Test
    void badQueryParametersAre400() {
        assertBadRequest(cp.get("/v1/snapshot", ORDERS_TOKEN), "service: query parameter is required");
        assertBadRequest(cp.get("/v1/snapshot?service=orders&version=abc", ORDERS_TOKEN), "version: ");
        assertBadRequest(cp.get("/v1/snapshot?service=orders&version=-1", ORDERS_TOKEN), "version: ");
        assertBadRequest(cp.get("/v1/snapshot?service=orders&version=1&wait=forever", ORDERS_TOKEN), "wait: ");
        assertBadRequest(cp.get("/v1/snapshot?service=orders&version=1&wait=61s", ORDERS_TOKEN), "wait: ");
        assertBadRequest(cp.get("/v1/snapshot?service=orders&wait=1s&wait=2s", ORDERS_TOKEN), "wait: given 2 times");
        assertBadRequest(cp.get("/v1/instances", ORDERS_TOKEN), "service: ");
    }

    @Test
    void unknownPathsAre404() {
        assertThat(cp.get("/v1/nothing", ORDERS_TOKEN).statusCode()).isEqualTo(404);
        assertThat(cp.get("/", null).statusCode()).isEqualTo(404);
        assertThat(cp.get("/v1/instances/a/b/c", ORDERS_TOKEN).statusCode()).isEqualTo(404);
        HttpResponse<String> unknownInstance = cp.put("/v1/instances/no-such-id/heartbeat", ORDERS_TOKEN);
        assertThat(unknownInstance.statusCode()).isEqualTo(404);
        assertThat(error(unknownInstance)).contains("no-such-id");
        assertThat(cp.delete("/v1/instances/no-such-id", ORDERS_TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void wrongMethodsAre405WithAllow() {
        HttpResponse<String> response = cp.delete("/v1/status", null);
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
        assertThat(error(response)).contains("DELETE");

        assertThat(cp.post("/v1/snapshot?service=orders", ORDERS_TOKEN, "{}").statusCode()).isEqualTo(405);
        HttpResponse<String> instances = cp.put("/v1/instances", ORDERS_TOKEN);
        assertThat(instances.statusCode()).isEqualTo(405);
        assertThat(instances.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(cp.get("/v1/instances/some-id", ORDERS_TOKEN).statusCode()).isEqualTo(405);
    }

    @Test
    void aBodyOver64KiBIs413AndTheServerCarriesOn() {
        String huge = "{\"service\":\"orders\",\"address\":\"" + "a".repeat(70 * 1024) + "\",\"port\":80}";

        HttpResponse<String> response = cp.post("/v1/instances", ORDERS_TOKEN, huge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response)).contains("64 KiB");
        assertThat(cp.get("/v1/status", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOver64KiBAnnouncedWithExpectContinueIs413BeforeItIsSent() throws IOException {
        // Raw, as JDK 17's HttpClient waits forever when an Expect: 100-continue gets a final answer.
        String answer = raw("POST /v1/instances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ORDERS_TOKEN
                + "\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413").contains("{\"error\":\"request body is larger than 64 KiB\"}");
        assertThat(cp.get("/v1/status", null).statusCode()).isEqualTo(200);
    }

    @Test
    void garbageIs400AndTheServerCarriesOn() throws IOException {
        String answer = raw("THIS IS NOT HTTP\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");

        String hugeHeader = "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n";
        assertThat(raw(hugeHeader)).startsWith("HTTP/1.1 431");

        assertThat(cp.get("/v1/status", null).statusCode()).isEqualTo(200);
    }

    @Test
    void keepsTheConnectionForTheNextRequest() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", cp.running().port())) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                out.write("GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                int length = -1;
                for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                assertThat(length).isPositive();
                char[] body = new char[length];
                int read = 0;
                while (read < length) {
                    read += in.read(body, read, length - read);
                }
                assertThat(new String(body)).contains("\"waitingClients\"");
            }
        }
    }

    private HttpResponse<String> register(String fields) {
        return cp.post("/v1/instances", ORDERS_TOKEN, "{\"service\":\"orders\"," + fields + "}");
    }

    /** Sends raw bytes on a fresh connection and returns everything the server says before closing. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", cp.running().port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String assertBadRequest(HttpResponse<String> response, String errorContains) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        String error = error(response);
        assertThat(error).contains(errorContains);
        return error;
    }

    private static String error(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return TestControlPlane.read(response.body(), ErrorMessage.class).error();
    }
}
