package io.ipsecd.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResponderWindowTest {
    @Test
    void newThenRetransmitThenDropForAnythingElse() {
        ResponderWindow w = new ResponderWindow();
        assertThat(w.classify(0)).isEqualTo(ResponderWindow.Verdict.NEW);
        assertThat(w.classify(1)).as("ahead of the window").isEqualTo(ResponderWindow.Verdict.DROP);
        byte[] response = {42};
        w.answered(0, List.of(response));
        assertThat(w.classify(0)).isEqualTo(ResponderWindow.Verdict.RETRANSMIT);
        assertThat(w.cachedResponse()).containsExactly(response);
        assertThat(w.classify(1)).isEqualTo(ResponderWindow.Verdict.NEW);
        w.answered(1, List.of(new byte[] {43}));
        assertThat(w.classify(0)).as("older than the last answered").isEqualTo(ResponderWindow.Verdict.DROP);
        assertThat(w.classify(-1)).isEqualTo(ResponderWindow.Verdict.DROP);
        assertThat(w.expected()).isEqualTo(2);
    }
}
