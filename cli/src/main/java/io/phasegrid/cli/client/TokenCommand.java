package io.phasegrid.cli.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.json.Json;
import io.phasegrid.proto.v1.CreateTokenRequest;
import io.phasegrid.proto.v1.CreateTokenResponse;
import io.phasegrid.proto.v1.ListTokensRequest;
import io.phasegrid.proto.v1.RevokeTokenRequest;
import io.phasegrid.proto.v1.Role;
import io.phasegrid.proto.v1.TokenInfo;
import io.phasegrid.proto.v1.TokenServiceGrpc;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasegrid token create|revoke|list}: the principals that may call the coordinator (admin only). */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Create, revoke and list the tokens that may call the coordinator (needs an admin token).",
        subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class, TokenCommand.ListTokens.class})
public final class TokenCommand implements Runnable {

    @Override
    public void run() {
        throw new InvalidInputException("phasegrid token: expected create, revoke or list");
    }

    /** {@code token create --role R --name N}: the new token is the last line printed. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token; prints it (shown only once) as the last line.")
    public static final class Create extends ClientCommand {

        @Option(names = "--role", required = true, paramLabel = "worker|submitter|reader|admin", description = "Its role.")
        String role;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Its unique name.")
        String name;

        @Override
        int run(ManagedChannel channel) {
            CreateTokenResponse created = TokenServiceGrpc.newBlockingStub(channel).createToken(
                    CreateTokenRequest.newBuilder().setName(name).setRole(role(role)).build());
            if (json) {
                ObjectNode root = info(created.getInfo());
                root.put("token", created.getToken());
                out().println(Json.pretty(root));
            } else {
                err().printf("created %s token '%s'; it is shown only now:%n", roleName(created.getInfo().getRole()),
                        created.getInfo().getName());
                err().flush();
                out().println(created.getToken());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code token revoke NAME}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token.")
    public static final class Revoke extends ClientCommand {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(ManagedChannel channel) {
            TokenInfo revoked = TokenServiceGrpc.newBlockingStub(channel)
                    .revokeToken(RevokeTokenRequest.newBuilder().setName(name).build());
            out().println(json ? Json.pretty(info(revoked)) : "revoked " + revoked.getName());
            return ExitCodes.OK;
        }
    }

    /** {@code token list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tokens (never their secrets).")
    public static final class ListTokens extends ClientCommand {

        @Override
        int run(ManagedChannel channel) {
            List<TokenInfo> tokens = TokenServiceGrpc.newBlockingStub(channel)
                    .listTokens(ListTokensRequest.getDefaultInstance()).getTokensList();
            if (json) {
                ArrayNode array = Json.mapper().createArrayNode();
                tokens.forEach(t -> array.add(info(t)));
                out().println(Json.pretty(array));
            } else {
                out().printf("%-32s  %-9s  %s%n", "NAME", "ROLE", "CREATED");
                tokens.forEach(t -> out().printf("%-32s  %-9s  %s%n", t.getName(), roleName(t.getRole()),
                        Instant.ofEpochMilli(t.getCreatedAtMs())));
            }
            return ExitCodes.OK;
        }
    }

    static Role role(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "worker" -> Role.ROLE_WORKER;
            case "submitter" -> Role.ROLE_SUBMITTER;
            case "reader" -> Role.ROLE_READER;
            case "admin" -> Role.ROLE_ADMIN;
            default -> throw new InvalidInputException("--role " + name + ": expected worker, submitter, reader or admin");
        };
    }

    static String roleName(Role role) {
        return role.name().replaceFirst("^ROLE_", "").toLowerCase(Locale.ROOT);
    }

    private static ObjectNode info(TokenInfo t) {
        ObjectNode node = Json.object();
        node.put("name", t.getName());
        node.put("role", roleName(t.getRole()));
        node.put("createdAt", t.getCreatedAtMs());
        return node;
    }
}
