package dev.vigil.bench;

import dev.vigil.report.Reports;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of masking what a JUnit suite prints, line by line, as the JUnit probe's console does
 * ({@link Reports#redact}): one operation masks the {@link #LINES} once, most of them lines with
 * nothing to mask, as a Spring Boot integration test logging at DEBUG prints them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedactionBenchmark {

    /** Log lines as a suite prints them: Spring Boot, JSON, {@code key=value}, URLs, headers, a stack frame. */
    static final List<String> LINES = List.of(
            "2026-12-02 10:23:45.123 DEBUG 48213 --- [           main] o.s.b.w.e.tomcat.TomcatWebServer         : Tomcat initialized with port(s): 8080 (http)",
            "2026-12-02 10:23:45.456  INFO 48213 --- [           main] c.a.checkout.CheckoutApplication         : Started CheckoutApplication in 4.812 seconds (process running for 5.3)",
            "2026-12-02 10:23:46.001 DEBUG 48213 --- [nio-8080-exec-1] o.s.web.servlet.DispatcherServlet        : GET \"/api/orders?page=2&size=20\", parameters={masked}",
            "2026-12-02 10:23:46.002 DEBUG 48213 --- [nio-8080-exec-1] s.w.s.m.m.a.RequestMappingHandlerMapping : Mapped to com.acme.checkout.web.OrderController#list(int, int)",
            "2026-12-02 10:23:46.010 DEBUG 48213 --- [nio-8080-exec-1] o.s.jdbc.core.JdbcTemplate               : Executing prepared SQL statement [select id, total, status from orders where customer_id = ? limit ?]",
            "2026-12-02 10:23:46.020 DEBUG 48213 --- [nio-8080-exec-1] o.s.w.s.m.m.a.HttpEntityMethodProcessor  : Writing [[Order(id=4711, total=129.90, status=PAID), Order(id=4712, total=9.99, status=NEW)]]",
            "{\"timestamp\":\"2026-12-02T10:23:46.030Z\",\"level\":\"INFO\",\"logger\":\"com.acme.checkout.OrderService\",\"message\":\"order 4711 paid\",\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}",
            "{\"orderId\":4711,\"items\":[{\"sku\":\"A-100\",\"qty\":2},{\"sku\":\"B-200\",\"qty\":1}],\"currency\":\"EUR\",\"total\":129.90}",
            "2026-12-02 10:23:46.040 DEBUG 48213 --- [nio-8080-exec-2] o.a.h.c.h.i.c.InternalHttpAsyncClient    : ex-0000000012: preparing request execution to https://payments.internal.example:8443/v2/charges",
            "2026-12-02 10:23:46.041 DEBUG 48213 --- [nio-8080-exec-2] org.apache.hc.client5.http.headers       : http-outgoing-3 >> Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaGVja291dCJ9.c2lnbmF0dXJl",
            "2026-12-02 10:23:46.042 DEBUG 48213 --- [nio-8080-exec-2] org.apache.hc.client5.http.headers       : http-outgoing-3 >> Content-Type: application/json",
            "2026-12-02 10:23:46.050 DEBUG 48213 --- [           main] com.zaxxer.hikari.HikariConfig           : jdbcUrl................................jdbc:postgresql://db.internal:5432/checkout",
            "2026-12-02 10:23:46.051 DEBUG 48213 --- [           main] com.zaxxer.hikari.HikariConfig           : password...............................<masked>",
            "2026-12-02 10:23:46.060  WARN 48213 --- [nio-8080-exec-3] c.a.checkout.web.PaymentClient           : retrying charge 4711 after 503 from https://payments.internal.example:8443/v2/charges?attempt=2",
            "spring.datasource.url=jdbc:postgresql://checkout:s3cr3t-pw@db.internal:5432/checkout?sslmode=require",
            "    at com.acme.checkout.web.OrderController.list(OrderController.java:42) ~[classes/:na]",
            "Hibernate: insert into order_items (order_id, sku, qty, price) values (?, ?, ?, ?)");

    /** Every line masked as the console masks it. */
    @Benchmark
    public void redact(Blackhole out) {
        for (String line : LINES) {
            out.consume(Reports.redact(line));
        }
    }
}
