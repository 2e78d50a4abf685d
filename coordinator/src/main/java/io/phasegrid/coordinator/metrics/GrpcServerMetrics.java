package io.phasegrid.coordinator.metrics;

import static io.phasegrid.common.metrics.MetricNames.Tag;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.phasegrid.common.metrics.MetricNames;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts finished server calls by full method name and status code and times them. grpc-java ships OpenTelemetry
 * metrics ({@code grpc-opentelemetry}), not Micrometer ones, and Micrometer's own gRPC interceptor uses names outside
 * {@link MetricNames}; this one is small. Install with {@code ServerBuilder.intercept(new GrpcServerMetrics(registry))}.
 * A call the client cancels counts as {@code CANCELLED}.
 */
public final class GrpcServerMetrics implements ServerInterceptor {

    private static final Status.Code[] CODES = Status.Code.values();

    private final MeterRegistry registry;
    private final Map<String, MethodMeters> byMethod = new ConcurrentHashMap<>();

    public GrpcServerMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        MethodMeters meters = byMethod.get(method);
        if (meters == null) {
            meters = byMethod.computeIfAbsent(method, MethodMeters::new);
        }
        CallRecord record = new CallRecord(meters, System.nanoTime());
        ServerCall<Q, A> recorded = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                record.finish(status.getCode());
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(recorded, headers)) {
            @Override
            public void onCancel() {
                record.finish(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    private final class MethodMeters {

        private final String method;
        private final Timer duration;
        private final Counter[] calls = new Counter[CODES.length];

        MethodMeters(String method) {
            this.method = method;
            this.duration = Timer.builder(MetricNames.GRPC_SERVER_CALL_DURATION)
                    .description("gRPC server call duration, start to close").tag(Tag.METHOD, method)
                    .register(registry);
        }

        Counter calls(Status.Code code) {
            Counter counter = calls[code.ordinal()];
            if (counter == null) {
                // a race registers the same meter twice, which Micrometer answers with the same counter
                counter = Counter.builder(MetricNames.GRPC_SERVER_CALLS).description("gRPC server calls finished")
                        .tags(Tag.METHOD, method, Tag.CODE, code.name()).register(registry);
                calls[code.ordinal()] = counter;
            }
            return counter;
        }
    }

    private static final class CallRecord extends AtomicBoolean {

        private static final long serialVersionUID = 1L;
        private final transient MethodMeters meters;
        private final long startNanos;

        CallRecord(MethodMeters meters, long startNanos) {
            this.meters = meters;
            this.startNanos = startNanos;
        }

        void finish(Status.Code code) {
            if (compareAndSet(false, true)) {
                meters.calls(code).increment();
                meters.duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            }
        }
    }
}
