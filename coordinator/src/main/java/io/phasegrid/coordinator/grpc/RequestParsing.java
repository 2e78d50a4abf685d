package io.phasegrid.coordinator.grpc;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a request body that does not parse (garbage bytes, a string that is not UTF-8) an INVALID_ARGUMENT.
 *
 * <p>gRPC parses each request with the method's marshaller inside the call's {@code messagesAvailable}; a parse
 * failure escapes as an exception there, and {@code ServerImpl} closes the call with UNKNOWN "Application error
 * processing RPC" and logs it. {@link #of} serves each method with a pass-through request marshaller instead, so the
 * body arrives as its raw {@link InputStream}, and parses it here with the method's own marshaller: on failure the
 * call is closed with INVALID_ARGUMENT and a short description, and the service never sees it. Responses keep the
 * method's marshaller, so nothing changes on the way out.
 */
final class RequestParsing {

    private RequestParsing() {
    }

    /** {@code service} with every request parsed by {@link RequestParsing}. */
    static ServerServiceDefinition of(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> wrapped = wrap(method);
            methods.add(wrapped);
            descriptor.addMethod(wrapped.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(out::addMethod);
        return out.build();
    }

    private static <ReqT, RespT> ServerMethodDefinition<InputStream, RespT> wrap(
            ServerMethodDefinition<ReqT, RespT> definition) {
        MethodDescriptor<ReqT, RespT> original = definition.getMethodDescriptor();
        MethodDescriptor<InputStream, RespT> raw = original.toBuilder(RawRequest.INSTANCE,
                original.getResponseMarshaller()).build();
        ServerCallHandler<ReqT, RespT> handler = definition.getServerCallHandler();
        return ServerMethodDefinition.create(raw, (call, headers) -> {
            ParsedCall<ReqT, RespT> parsed = new ParsedCall<>(call, original);
            return new ParsingListener<>(parsed, handler.startCall(parsed, headers));
        });
    }

    /** The request body as it came off the wire. */
    private enum RawRequest implements MethodDescriptor.Marshaller<InputStream> {
        INSTANCE;

        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    }

    /** Parses each message; the first that does not parse closes the call, and the service hears only the end. */
    private static final class ParsingListener<ReqT, RespT> extends ServerCall.Listener<InputStream> {
        private final ParsedCall<ReqT, RespT> call;
        private final ServerCall.Listener<ReqT> delegate;
        private boolean refused;

        ParsingListener(ParsedCall<ReqT, RespT> call, ServerCall.Listener<ReqT> delegate) {
            this.call = call;
            this.delegate = delegate;
        }

        @Override
        public void onMessage(InputStream message) {
            if (refused) {
                return;
            }
            ReqT request;
            try {
                request = call.getMethodDescriptor().parseRequest(message);
            } catch (RuntimeException e) {
                refused = true;
                call.close(Status.INVALID_ARGUMENT.withDescription(call.getMethodDescriptor().getFullMethodName()
                        + ": the request is not a valid " + requestType(call.getMethodDescriptor()) + " message ("
                        + reason(e) + ")"), new Metadata());
                // the service learns that its call is over the way it learns of a client's cancel: a stream's
                // handlers run (its waiting polls wake, it leaves the stream registry); what it sends is dropped
                delegate.onCancel();
                return;
            }
            delegate.onMessage(request);
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                delegate.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            if (!refused) {
                delegate.onCancel();
            }
        }

        @Override
        public void onComplete() {
            if (!refused) { // a refused call was already ended for the service with onCancel
                delegate.onComplete();
            }
        }

        @Override
        public void onReady() {
            if (!refused) {
                delegate.onReady();
            }
        }
    }

    private static String requestType(MethodDescriptor<?, ?> method) {
        return method.getRequestMarshaller() instanceof MethodDescriptor.ReflectableMarshaller<?> r
                ? r.getMessageClass().getSimpleName() : "protobuf";
    }

    /** The parser's own words (protobuf's messages are short and quote no input), else the exception's type. */
    private static String reason(RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName()
                : GrpcCalls.bounded(message);
    }

    /**
     * The call as the service sees it: typed requests, the original method descriptor, everything else forwarded.
     * Sends and the close are serialised on this object (a refusal closes the call from the transport's thread while
     * the service may be sending from its own), and whatever comes after the close is dropped.
     */
    private static final class ParsedCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
        private final ServerCall<InputStream, RespT> raw;
        private final MethodDescriptor<ReqT, RespT> method;
        private boolean closed; // guarded by this

        ParsedCall(ServerCall<InputStream, RespT> raw, MethodDescriptor<ReqT, RespT> method) {
            this.raw = raw;
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
            raw.request(numMessages);
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                raw.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(RespT message) {
            if (!closed) {
                raw.sendMessage(message);
            }
        }

        @Override
        public boolean isReady() {
            return raw.isReady();
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                raw.close(status, trailers);
            }
        }

        @Override
        public boolean isCancelled() {
            return raw.isCancelled();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            raw.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            raw.setCompression(compressor);
        }

        @Override
        public void setOnReadyThreshold(int numBytes) {
            raw.setOnReadyThreshold(numBytes);
        }

        @Override
        public SecurityLevel getSecurityLevel() {
            return raw.getSecurityLevel();
        }

        @Override
        public Attributes getAttributes() {
            return raw.getAttributes();
        }

        @Override
        public String getAuthority() {
            return raw.getAuthority();
        }

        @Override
        public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
            return method;
        }
    }
}
