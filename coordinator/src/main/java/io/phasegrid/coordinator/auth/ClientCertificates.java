package io.phasegrid.coordinator.auth;

import io.grpc.Attributes;
import io.grpc.Grpc;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The identity of a call's client certificate: the subject CN, when TLS verified one (mutual TLS). */
final class ClientCertificates {

    private ClientCertificates() {
    }

    /** A verified client certificate: its subject CN and the start of its validity. */
    record Identity(String commonName, long notBeforeMs) {
    }

    /** The identity of the verified peer certificate of the call's TLS session; empty without one. */
    static Optional<Identity> identity(Attributes transport) {
        SSLSession session = transport.get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return Optional.empty();
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty(); // the client sent none: ClientAuth.OPTIONAL
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        long notBefore = leaf.getNotBefore().getTime();
        return commonName(leaf.getSubjectX500Principal().getName()).map(cn -> new Identity(cn, notBefore));
    }

    /** The last CN of an RFC 2253 distinguished name. */
    static Optional<String> commonName(String distinguishedName) {
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = rdn.getValue().toString();
                }
            }
            return Optional.ofNullable(cn).filter(s -> !s.isEmpty());
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
