package io.ipsecd.testbed;

import java.util.List;

/** Security associations as a gateway reports them, whatever the daemon. */
public final class SaInfo {
    private SaInfo() {}

    /**
     * @param algorithms e.g. {@code AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519/KE1_ML_KEM_768}
     */
    public record IkeSa(String name, String state, String spiInitiator, String spiResponder, String localHost,
                        String remoteHost, String localId, String remoteId, String algorithms, boolean natDetected,
                        List<ChildSa> children) {
        public IkeSa {
            children = List.copyOf(children);
        }

        public boolean established() { return "ESTABLISHED".equals(state); }
    }

    /**
     * @param mode e.g. {@code TUNNEL}, with {@code encapsulated} set for ESP-in-UDP (libipsec always)
     */
    public record ChildSa(String name, String state, String mode, boolean encapsulated, String spiIn, String spiOut,
                          String algorithms, long bytesIn, long bytesOut, long packetsIn, long packetsOut,
                          List<String> localTs, List<String> remoteTs) {
        public ChildSa {
            localTs = List.copyOf(localTs);
            remoteTs = List.copyOf(remoteTs);
        }

        public boolean installed() { return "INSTALLED".equals(state); }
    }
}
