package dev.vigil.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.client5.http.ssl.TrustAllStrategy;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.ssl.SSLContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How TLS servers are trusted: the JDK's CAs (default), a trust store, or nothing at all (insecure).
 * Thread-safe; a trust store is read when this is made, the strategies are made when the first
 * client needs them.
 */
final class Tls {

    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);

    private final Supplier<ClientTlsStrategyBuilder> builder;
    private final String description;
    private TlsSocketStrategy strategy; // guarded by this
    private TlsStrategy asyncStrategy; // guarded by this

    Tls(Supplier<ClientTlsStrategyBuilder> builder, String description) {
        this.builder = builder;
        this.description = description;
    }

    private Tls(ClientTlsStrategyBuilder builder, String description) {
        this(() -> builder, description);
    }

    /**
     * The JVM's trusted CAs (its {@code cacerts}, or {@code javax.net.ssl.trustStore} when set) and
     * host name verification.
     */
    static Tls system() {
        // The JDK's default context reads its CAs and sets up its providers, the largest part of
        // `vigil validate`'s start-up: made with the first client, never by validating a configuration.
        return new Tls(() -> ClientTlsStrategyBuilder.create().setSslContext(SSLContexts.createSystemDefault()),
                "verified");
    }

    /**
     * Trusts the certificates in a trust store (PKCS12 or JKS, told apart by the JDK) besides
     * nothing else; host names are still verified.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read (never the password)
     */
    static Tls trustStore(Path file, Secret password, String type) {
        KeyStore store = load(file, password, type);
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return new Tls(ClientTlsStrategyBuilder.create().setSslContext(context),
                    "verified with trust store " + file);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("trust store " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** Trusts a key store that is already loaded. */
    static Tls trustStore(KeyStore store) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return new Tls(ClientTlsStrategyBuilder.create().setSslContext(context), "verified with a trust store");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("trust store cannot be used: " + e.getMessage(), e);
        }
    }

    /** Trusts any certificate and any host name; logs a warning naming what it is for. */
    static Tls insecure(String what) {
        LOG.warn("TLS verification is OFF for {} (insecure=true): any certificate is accepted; "
                + "use a trust store for a private CA instead", what);
        try {
            SSLContext context = SSLContexts.custom().loadTrustMaterial(TrustAllStrategy.INSTANCE).build();
            return new Tls(ClientTlsStrategyBuilder.create()
                    .setSslContext(context)
                    .setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT)
                    .setHostnameVerifier(NoopHostnameVerifier.INSTANCE), "NOT verified (insecure)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    /** The strategy for the classic (blocking) connection manager. */
    synchronized TlsSocketStrategy strategy() {
        if (strategy == null) {
            strategy = builder.get().buildClassic();
        }
        return strategy;
    }

    /** The same trust for the non-blocking connection manager. */
    synchronized TlsStrategy asyncStrategy() {
        if (asyncStrategy == null) {
            asyncStrategy = builder.get().buildAsync();
        }
        return asyncStrategy;
    }

    @Override
    public String toString() {
        return description;
    }

    private static KeyStore load(Path file, Secret password, String type) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("trust store " + file + " does not exist or cannot be read");
        }
        String storeType = type != null && !type.isBlank() ? type.strip().toUpperCase(Locale.ROOT) : guessType(file);
        char[] pass = password == null ? null : password.reveal().toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(storeType);
            store.load(in, pass);
            if (store.size() == 0) {
                throw new IllegalArgumentException("trust store " + file + " holds no certificate");
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            String reason = e.getCause() instanceof java.security.UnrecoverableKeyException
                    ? "wrong trust-store-password" : e.getMessage();
            throw new IllegalArgumentException("trust store " + file + " (" + storeType + ") cannot be read: " + reason, e);
        }
    }

    private static String guessType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jks") ? "JKS" : "PKCS12";
    }
}
