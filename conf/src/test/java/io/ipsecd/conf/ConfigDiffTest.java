package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDiffTest {
    @TempDir Path dir;

    private static String conn(String name, String remote, String extra) {
        return """
                  %s:
                    local: { address: 192.0.2.1 }
                    remote: { address: %s }
                    psk: { file: %s.psk }
                %s""".formatted(name, remote, name, extra);
    }

    private Config load(String... connections) {
        return TestFiles.valid("connections:\n" + String.join("", connections), dir);
    }

    @Test
    void classifiesEveryConnection() throws Exception {
        for (String n : new String[] {"keep", "edit", "gone", "new"}) TestFiles.psk(dir, n + ".psk", TestFiles.PSK, "rw-------");
        Config old = load(conn("keep", "192.0.2.2", ""), conn("edit", "192.0.2.3", ""), conn("gone", "192.0.2.4", ""));
        Config neu = load(conn("new", "192.0.2.5", ""), conn("edit", "192.0.2.3", "    ike: { lifetime: 4h }\n"),
                conn("keep", "192.0.2.2", ""));
        ConfigDiff d = ConfigDiff.between(old, neu);
        assertThat(d.added()).containsExactly("new");
        assertThat(d.removed()).containsExactly("gone");
        assertThat(d.changed()).containsExactly("edit");
        assertThat(d.unchanged()).containsExactly("keep");
        assertThat(d.isEmpty()).isFalse();
    }

    @Test
    void sameFileMeansNoChange() throws Exception {
        TestFiles.psk(dir, "a.psk", TestFiles.PSK, "rw-------");
        String text = conn("a", "192.0.2.2", "    children:\n      c: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }\n");
        ConfigDiff d = ConfigDiff.between(load(text), load(text));
        assertThat(d.unchanged()).containsExactly("a");
        assertThat(d.isEmpty()).isTrue();
    }

    @Test
    void pskContentChangeIsAChange() throws Exception {
        TestFiles.psk(dir, "a.psk", TestFiles.PSK, "rw-------");
        Config old = load(conn("a", "192.0.2.2", ""));
        TestFiles.psk(dir, "a.psk", TestFiles.PSK + "-rotated", "rw-------");
        Config neu = load(conn("a", "192.0.2.2", ""));
        assertThat(ConfigDiff.between(old, neu).changed()).containsExactly("a");
    }

    @Test
    void childChangeIsAChange() throws Exception {
        TestFiles.psk(dir, "a.psk", TestFiles.PSK, "rw-------");
        Config old = load(conn("a", "192.0.2.2", "    children:\n      c: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }\n"));
        Config neu = load(conn("a", "192.0.2.2", "    children:\n      c: { local_ts: [10.1.0.0/16], remote_ts: [10.3.0.0/16] }\n"));
        assertThat(ConfigDiff.between(old, neu).changed()).containsExactly("a");
    }

    @Test
    void childChangesAloneNameTheChildrenAddedRemovedOrChanged() throws Exception {
        TestFiles.psk(dir, "a.psk", TestFiles.PSK, "rw-------");
        String keep = "      keep: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }\n";
        Config old = load(conn("a", "192.0.2.2", "    children:\n" + keep
                + "      edit: { local_ts: [10.1.0.0/16], remote_ts: [10.3.0.0/16] }\n"
                + "      gone: { local_ts: [10.1.0.0/16], remote_ts: [10.4.0.0/16] }\n"));
        Config neu = load(conn("a", "192.0.2.2", "    children:\n" + keep
                + "      edit: { local_ts: [10.1.0.0/16], remote_ts: [10.3.0.0/24] }\n"
                + "      new: { local_ts: [10.1.0.0/16], remote_ts: [10.5.0.0/16] }\n"));
        assertThat(ConfigDiff.changedChildren(old.connections().get("a"), neu.connections().get("a")))
                .hasValueSatisfying(names -> assertThat(names).containsExactlyInAnyOrder("edit", "gone", "new"));
    }

    @Test
    void aConnectionSettingChangeIsNotAChildChange() throws Exception {
        TestFiles.psk(dir, "a.psk", TestFiles.PSK, "rw-------");
        String child = "    children:\n      c: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }\n";
        Config old = load(conn("a", "192.0.2.2", child));
        Config neu = load(conn("a", "192.0.2.2", "    ike: { lifetime: 4h }\n" + child));
        assertThat(ConfigDiff.changedChildren(old.connections().get("a"), neu.connections().get("a"))).isEmpty();
    }

    @Test
    void globalChangesDoNotTouchConnections() throws Exception {
        TestFiles.psk(dir, "a.psk", TestFiles.PSK, "rw-------");
        Config old = load(conn("a", "192.0.2.2", ""));
        Config neu = TestFiles.valid("global: { logging: { level: debug } }\nconnections:\n" + conn("a", "192.0.2.2", ""), dir);
        assertThat(ConfigDiff.between(old, neu).unchanged()).containsExactly("a");
        assertThat(old.global()).isNotEqualTo(neu.global());
    }
}
