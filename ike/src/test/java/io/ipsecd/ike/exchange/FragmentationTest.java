package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.ScriptedLab.CLOUD;
import static io.ipsecd.ike.exchange.ScriptedLab.CORP;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.ConfigLoader;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.LoadResult;
import io.ipsecd.ike.exchange.ScriptedLab.Datagram;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeDecodeException;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.PayloadType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 7383 between two negotiators: IKE_AUTH and CREATE_CHILD_SA made large by many traffic
 * selectors go as SKF fragments of at most 576-byte IP datagrams, survive loss, reordering and
 * forgeries, and are not used when one side turns fragmentation off.
 */
class FragmentationTest {
    /** 576 less IPv4 (20) and UDP (8): the largest IKE message a fragment may be. */
    private static final int BUDGET = 548;
    private static final int SELECTORS = 24;

    private final ScriptedLab lab = new ScriptedLab(7);
    /** Every datagram put on the wire, in order. */
    private final List<Datagram> seen = new ArrayList<>();
    /** Which datagrams to hold back (the rest are delivered at once). */
    private Predicate<Datagram> holding = d -> false;

    FragmentationTest() {
        lab.hold = d -> {
            seen.add(d);
            return holding.test(d);
        };
    }

    /**
     * Connection "s2s" with child "net" (and "more", only started on request) of {@value #SELECTORS}
     * selectors per side, so that IKE_AUTH and CREATE_CHILD_SA need about 900 bytes.
     */
    private static Connection connection(String local, boolean fragmentation, int fragmentSize, String proposal) {
        boolean corp = local.equals(CORP);
        String yaml = """
                connections:
                  s2s:
                    local: { address: %s, id: %s }
                    remote: { address: "%s", id: %s }
                    psk: { env: PSK }
                    ike: { proposals: [%s], fragmentation: %s, fragment_size: %d }
                    children:
                      net: { local_ts: %s, remote_ts: %s, esp_proposals: [aes256gcm16], start: none }
                      more: { local_ts: %s, remote_ts: %s, esp_proposals: [aes256gcm16], start: none }
                """.formatted(local, corp ? "corp" : "cloud", corp ? CLOUD : CORP, corp ? "cloud" : "corp", proposal,
                fragmentation, fragmentSize, selectors(corp ? 1 : 2), selectors(corp ? 2 : 1), selectors(corp ? 3 : 4),
                selectors(corp ? 4 : 3));
        LoadResult r = ConfigLoader.parse(yaml, "lab.yaml", Path.of("/"), n -> n.equals("PSK") ? ScriptedLab.PSK : null);
        if (!(r instanceof LoadResult.Valid valid)) {
            throw new AssertionError("lab config invalid: " + r + "\n" + yaml);
        }
        return valid.config().connections().get("s2s");
    }

    private static String selectors(int net) {
        return IntStream.range(0, SELECTORS).mapToObj(i -> "10." + net + "." + i + ".0/24")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private void configure(boolean corpFragments, boolean cloudFragments) {
        configure(corpFragments, cloudFragments, "aes256gcm16-prfsha384-x25519");
    }

    private void configure(boolean corpFragments, boolean cloudFragments, String proposal) {
        lab.corp.connections(List.of(connection(CORP, corpFragments, 576, proposal)));
        lab.cloud.connections(List.of(connection(CLOUD, cloudFragments, 576, proposal)));
    }

    /** Each message of {@code exchange} (corp's requests, cloud's responses) went as 576-byte fragments 1..N. */
    private void fragmented(ExchangeType exchange) {
        for (List<Datagram> message : List.of(seen("corp", exchange, false), seen("cloud", exchange, true))) {
            assertThat(message).as("%s", exchange).hasSizeGreaterThan(1).allSatisfy(d -> {
                assertThat(isFragment(d)).as(d.text()).isTrue();
                assertThat(d.bytes().length).isLessThanOrEqualTo(BUDGET);
            });
            assertThat(message.stream().map(FragmentationTest::fragmentNumber))
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, message.size()).boxed().toList());
        }
    }

    private void initiate(String... children) {
        lab.corp.initiate(lab.corp.connections.get("s2s"), List.of(children));
        lab.loop.runReady();
    }

    private static boolean isFragment(Datagram d) {
        return (d.bytes()[16] & 0xff) == PayloadType.SKF.value();
    }

    private static int fragmentNumber(Datagram d) {
        return (d.bytes()[32] & 0xff) << 8 | d.bytes()[33] & 0xff;
    }

    private static boolean offersFragmentation(Datagram init) {
        try {
            return IkeMessageCodec.decode(init.bytes()).notify(NotifyType.FRAGMENTATION_SUPPORTED).isPresent();
        } catch (IkeDecodeException e) {
            throw new AssertionError(e);
        }
    }

    private List<Datagram> seen(String side, ExchangeType exchange, boolean response) {
        return seen.stream().filter(d -> d.text().startsWith(side + " ") && d.is(exchange, response)).toList();
    }

    private static int childCount(Negotiator n) {
        return n.snapshot().stream().filter(s -> s.state().equals("ESTABLISHED")).mapToInt(s -> s.children().size()).sum();
    }

    @Test
    void ikeAuthAndCreateChildSaGoAsFragmentsOfAtMost576ByteDatagramsBothWays() {
        configure(true, true);
        initiate("net");
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
        assertThat(ScriptedLab.up(lab.cloud)).isTrue();
        assertThat(ScriptedLab.only(lab.corp).fragmentation()).as("list-sas: negotiated").isTrue();
        assertThat(ScriptedLab.only(lab.cloud).fragmentation()).isTrue();
        initiate("more");
        assertThat(childCount(lab.corp)).isEqualTo(2);
        assertThat(childCount(lab.cloud)).isEqualTo(2);
        fragmented(ExchangeType.IKE_AUTH);
        fragmented(ExchangeType.CREATE_CHILD_SA);
        assertThat(seen.stream().filter(d -> d.is(ExchangeType.IKE_SA_INIT, false) || d.is(ExchangeType.IKE_SA_INIT, true)))
                .as("IKE_SA_INIT is never fragmented, and both offer fragmentation in it").hasSize(2)
                .noneMatch(FragmentationTest::isFragment).allMatch(FragmentationTest::offersFragmentation);
        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.only(lab.corp).authentication()).isEqualTo("pre-shared key");
    }

    @Test
    void ikeIntermediateCarryingMlKem768IsFragmentedAndIkeAuthAfterItsNewKeysToo() {
        configure(true, true, "aes256gcm16-prfsha384-x25519-ke1_mlkem768");
        initiate("net");
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
        assertThat(ScriptedLab.only(lab.corp).keyExchange()).isEqualTo("CURVE_25519/KE1_ML_KEM_768");
        fragmented(ExchangeType.IKE_INTERMEDIATE);
        fragmented(ExchangeType.IKE_AUTH);
        assertThat(lab.failures).isEmpty();
    }

    @Test
    void aRekeyedIkeSaKeepsFragmenting() {
        configure(true, true);
        initiate("net");
        long before = ScriptedLab.only(lab.cloud).spiResponder();
        assertThat(lab.corp.rekey("s2s", java.util.Optional.empty())).isTrue();
        lab.loop.runReady();
        assertThat(ScriptedLab.only(lab.cloud).spiResponder()).as("rekeyed").isNotEqualTo(before);
        seen.clear();
        initiate("more");
        assertThat(childCount(lab.cloud)).isEqualTo(2);
        fragmented(ExchangeType.CREATE_CHILD_SA);
        assertThat(lab.failures).isEmpty();
    }

    @Test
    void aLostFragmentIsResentWithTheWholeRequestAndAResentRequestGetsItsWholeResponseOnce() {
        configure(true, true);
        holding = d -> d.is(ExchangeType.IKE_AUTH, false) || d.is(ExchangeType.IKE_AUTH, true);
        initiate("net");
        List<Datagram> request = lab.held();
        assertThat(request).hasSizeGreaterThan(1);
        lab.lose(d -> fragmentNumber(d) == 2);
        holding = d -> d.is(ExchangeType.IKE_AUTH, true);
        lab.release(d -> true);
        assertThat(lab.held()).as("no response to an incomplete request").isEmpty();
        assertThat(ScriptedLab.up(lab.cloud)).isFalse();

        lab.runSeconds(4); // corp's first retransmission: every fragment again
        assertThat(seen("corp", ExchangeType.IKE_AUTH, false)).hasSize(2 * request.size());
        List<Datagram> response = lab.held();
        assertThat(response).hasSizeGreaterThan(1).allMatch(d -> d.is(ExchangeType.IKE_AUTH, true));
        assertThat(ScriptedLab.up(lab.cloud)).isTrue();

        lab.lose(d -> true); // the whole response is lost: corp resends its request, cloud answers from its cache
        lab.runSeconds(7.2);
        assertThat(seen("corp", ExchangeType.IKE_AUTH, false)).hasSize(3 * request.size());
        assertThat(lab.held()).as("one resent response for all the request's fragments (RFC 7383 §2.6.1)")
                .hasSize(response.size());
        holding = d -> false;
        lab.release(d -> true);
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
        assertThat(lab.corp.snapshot().getFirst().spiResponder()).isEqualTo(lab.cloud.snapshot().getFirst().spiResponder());
        assertThat(lab.failures).isEmpty();
    }

    @Test
    void fragmentsArrivingInReverseOrderAreReassembled() {
        configure(true, true);
        holding = d -> d.is(ExchangeType.IKE_AUTH, false) || d.is(ExchangeType.IKE_AUTH, true);
        initiate("net");
        List<Integer> sizes = new ArrayList<>();
        for (int round = 0; round < 2; round++) { // the request, then the response
            List<Datagram> message = lab.held().stream().sorted(Comparator.comparingInt(FragmentationTest::fragmentNumber)
                    .reversed()).toList();
            assertThat(message).hasSizeGreaterThan(1);
            sizes.add(message.size());
            for (Datagram d : message) {
                assertThat(lab.release(x -> x == d)).hasSize(1);
            }
        }
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
        assertThat(ScriptedLab.up(lab.cloud)).isTrue();
        assertThat(seen("corp", ExchangeType.IKE_AUTH, false)).as("nothing resent").hasSize(sizes.get(0));
        assertThat(seen("cloud", ExchangeType.IKE_AUTH, true)).hasSize(sizes.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"corp", "cloud"})
    void whenOneSideTurnsItOffMessagesGoWhole(String off) {
        configure(!off.equals("corp"), !off.equals("cloud"));
        initiate("net");
        initiate("more");
        assertThat(childCount(lab.corp)).isEqualTo(2);
        assertThat(offersFragmentation(seen("corp", ExchangeType.IKE_SA_INIT, false).getFirst()))
                .as("corp offers it unless turned off").isEqualTo(!off.equals("corp"));
        assertThat(offersFragmentation(seen("cloud", ExchangeType.IKE_SA_INIT, true).getFirst()))
                .as("cloud answers only an offer, and only when on").isFalse();
        assertThat(seen).noneMatch(FragmentationTest::isFragment);
        assertThat(seen("corp", ExchangeType.IKE_AUTH, false)).singleElement()
                .satisfies(d -> assertThat(d.bytes().length).as("too big for 576, sent whole").isGreaterThan(BUDGET));
        assertThat(seen("cloud", ExchangeType.CREATE_CHILD_SA, true)).singleElement()
                .satisfies(d -> assertThat(d.bytes().length).isGreaterThan(BUDGET));
        assertThat(lab.failures).isEmpty();
        assertThat(ScriptedLab.only(lab.corp).fragmentation()).as("list-sas: not negotiated").isFalse();
        assertThat(ScriptedLab.only(lab.cloud).fragmentation()).isFalse();
    }

    @Test
    void forgedFragmentsAreDroppedAndTheRealMessageStillCompletes() {
        configure(true, true);
        initiate("net");
        IkeSaInfo before = ScriptedLab.only(lab.cloud);
        holding = d -> d.is(ExchangeType.CREATE_CHILD_SA, false);
        initiate("more");
        List<Datagram> request = lab.held();
        assertThat(request).hasSizeGreaterThan(1);
        for (Datagram real : request) {
            for (int at : new int[] {real.bytes().length - 1, 60, 33}) { // ICV, ciphertext, Total Fragments
                byte[] forged = real.bytes().clone();
                forged[at] ^= 0x01;
                lab.cloud.receive(real.dst(), real.src(), forged);
            }
        }
        lab.loop.runReady();
        assertThat(seen("cloud", ExchangeType.CREATE_CHILD_SA, true)).as("forgeries answered").isEmpty();
        lab.release(d -> true);
        assertThat(childCount(lab.corp)).isEqualTo(2);
        assertThat(childCount(lab.cloud)).isEqualTo(2);
        IkeSaInfo after = ScriptedLab.only(lab.cloud);
        assertThat(after.spiResponder()).isEqualTo(before.spiResponder());
        assertThat(after.state()).isEqualTo("ESTABLISHED");
        assertThat(lab.failures).isEmpty();
    }
}
