package io.phasegrid.coordinator.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.store.codec.RunBlueprintSerializer;
import io.phasegrid.coordinator.run.store.codec.RunRecordSerializer;

/**
 * The Hazelcast member configuration of a coordinator: explicit TCP/IP join (no multicast, no auto-detection),
 * one synchronous backup for every map, runs stored as objects so entry processors work without serialisation.
 */
public final class MemberConfigFactory {

    private MemberConfigFactory() {
    }

    public static Config create(ClusterSettings settings) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // listen on the configured interface only (loopback by default), not on every address of the host
        config.setProperty("hazelcast.socket.bind.any", "false");

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(settings.portAutoIncrement());
        network.getInterfaces().setEnabled(true).addInterface(settings.bindAddress());
        network.setPublicAddress(null);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember(settings.bindAddress() + ":" + settings.port());
        settings.members().forEach(member -> join.getTcpIpConfig().addMember(member));

        configureSerialization(config.getSerializationConfig());

        config.addMapConfig(new MapConfig(MapNames.RUNS).setInMemoryFormat(InMemoryFormat.OBJECT).setBackupCount(1));
        config.addMapConfig(new MapConfig(MapNames.CHECKPOINTS).setBackupCount(1));
        config.addMapConfig(new MapConfig(MapNames.LEDGER).setInMemoryFormat(InMemoryFormat.OBJECT).setBackupCount(1));
        config.addMapConfig(new MapConfig(MapNames.SUBMISSIONS).setBackupCount(1));
        config.addMapConfig(new MapConfig(MapNames.WORKERS).setBackupCount(1));
        // OBJECT: status reads the header and a finished run's release rewrites the entry without (de)serialising MiBs
        config.addMapConfig(new MapConfig(MapNames.RUN_META).setInMemoryFormat(InMemoryFormat.OBJECT)
                .setBackupCount(1));
        config.addMapConfig(new MapConfig(MapNames.RETAINED).setInMemoryFormat(InMemoryFormat.OBJECT)
                .setBackupCount(1));
        return config;
    }

    /**
     * The coordinator's serialization: the factory of its {@code IdentifiedDataSerializable} values and processors,
     * and the stream serializers of the run values that name no Hazelcast ({@code run.store.codec}).
     */
    public static SerializationConfig configureSerialization(SerializationConfig serialization) {
        return serialization
                .addDataSerializableFactory(SerializationIds.FACTORY_ID, new PhaseGridSerializableFactory())
                .addSerializerConfig(new SerializerConfig().setTypeClass(RunRecord.class)
                        .setImplementation(new RunRecordSerializer()))
                .addSerializerConfig(new SerializerConfig().setTypeClass(RunBlueprint.class)
                        .setImplementation(new RunBlueprintSerializer()));
    }
}
