package io.ipsecd.ike.auth;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Fetches CRLs over HTTP from the CRL distribution points named in certificates ({@code remote.crl_fetch}),
 * and keeps each until its nextUpdate (at most {@value #CACHE_ENTRIES} URIs, least recently used dropped).
 *
 * <p>A fetch blocks its caller for at most the timeout (2 s by default: connect, request and body
 * together), with a body of at most 1 MiB, plain http only and no redirects. The IKE negotiator
 * validates chains on its event loop, so an uncached CRL stalls that loop for up to the timeout;
 * a cached one costs nothing. Whether the CRL is signed by the right CA is the validator's check.
 */
public final class CrlFetcher implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int MAX_BYTES = 1 << 20;
    static final int CACHE_ENTRIES = 64;

    /** What a fetch gave: a parsed CRL, or why there is none. */
    public sealed interface Fetched {
        record Crl(X509CRL crl) implements Fetched {
        }

        /** {@code error} is a few words for the admin ("connect timed out", "HTTP status 404"). */
        record Failed(String error) implements Fetched {
        }
    }

    private final Duration timeout;
    private final long maxBytes;
    private final Map<URI, X509CRL> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<URI, X509CRL> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    /** Made at the first fetch: a client starts a selector thread, which no daemon without crl_fetch needs. */
    private HttpClient client;

    public CrlFetcher() {
        this(DEFAULT_TIMEOUT, MAX_BYTES);
    }

    CrlFetcher(Duration timeout, long maxBytes) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /**
     * The http:// URIs in the certificate's CRLDistributionPoints extension, in order; empty without
     * one. A malformed extension throws IllegalArgumentException: with fetching on, that certificate
     * cannot be checked and is refused (fail closed).
     */
    public static List<URI> distributionPoints(X509Certificate cert) {
        byte[] extension = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (extension == null) return List.of();
        List<URI> out = new ArrayList<>();
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(
                    ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extension).getOctets()));
            for (DistributionPoint point : points.getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME) continue;
                for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (general.getTagNo() != GeneralName.uniformResourceIdentifier) continue;
                    String text = ASN1IA5String.getInstance(general.getName()).getString();
                    if (text.regionMatches(true, 0, "http://", 0, 7)) out.add(new URI(text));
                }
            }
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException("its CRL distribution points extension does not parse (" + e.getMessage() + ")", e);
        }
        return List.copyOf(out);
    }

    /** The CRL at {@code uri}: the cached one while {@code now} is before its nextUpdate, else fetched now. */
    public synchronized Fetched crl(URI uri, Instant now) {
        X509CRL cached = cache.get(uri);
        if (cached != null && current(cached, now)) return new Fetched.Crl(cached);
        Fetched fetched = fetch(uri);
        if (fetched instanceof Fetched.Crl(X509CRL crl) && current(crl, now)) cache.put(uri, crl);
        return fetched;
    }

    /** A CRL without nextUpdate is used once, not cached: nothing says how long it holds. */
    private static boolean current(X509CRL crl, Instant now) {
        return crl.getNextUpdate() != null && now.isBefore(crl.getNextUpdate().toInstant());
    }

    private Fetched fetch(URI uri) {
        if (!"http".equalsIgnoreCase(uri.getScheme())) return new Fetched.Failed("only http:// is fetched");
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                    .proxy(HttpClient.Builder.NO_PROXY).build();
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        CompletableFuture<HttpResponse<byte[]>> pending =
                client.sendAsync(request, BodyHandlers.limiting(BodyHandlers.ofByteArray(), maxBytes));
        try {
            HttpResponse<byte[]> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) return new Fetched.Failed("HTTP status " + response.statusCode());
            return new Fetched.Crl(CredentialLoader.crl(uri, response.body()));
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new Fetched.Failed("no complete answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return new Fetched.Failed(describe(e.getCause()));
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new Fetched.Failed("interrupted");
        } catch (CredentialException e) {
            return new Fetched.Failed(e.getMessage());
        }
    }

    private String describe(Throwable e) {
        return switch (e) {
            case HttpConnectTimeoutException t -> "connect timed out";
            case HttpTimeoutException t -> "request timed out";
            case ConnectException c -> "connection refused";
            case IOException io when String.valueOf(io.getMessage()).contains("exceeds") ->
                    "the CRL is larger than " + maxBytes + " bytes";
            default -> {
                String brief = CredentialLoader.brief(e);
                yield brief.equals("unreadable content") ? e.getClass().getSimpleName() : brief;
            }
        };
    }

    @Override
    public synchronized void close() {
        if (client != null) client.close();
        client = null;
    }
}
