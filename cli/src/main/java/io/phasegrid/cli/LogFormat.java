package io.phasegrid.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * How a process writes its logs to stderr: {@link #HUMAN} lines ({@code logback.xml}, which logback reads at start-up)
 * or {@link #JSON} objects, one per line, with every MDC entry as a field ({@code logback-json.xml}).
 */
public enum LogFormat {
    HUMAN("logback.xml"),
    JSON("logback-json.xml");

    /** Logback configures itself from logback.xml when the process starts. */
    private static LogFormat active = HUMAN;

    private final String resource;

    LogFormat(String resource) {
        this.resource = resource;
    }

    /** Makes this the format of the process's logs (reconfigures logback unless it is the format already). */
    public void use() {
        synchronized (LogFormat.class) {
            if (active == this) {
                return;
            }
            ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            if (factory instanceof LoggerContext context) {
                configure(context);
            }
            active = this;
        }
    }

    /** Replaces {@code context}'s configuration with this format's. */
    public void configure(LoggerContext context) {
        URL config = LogFormat.class.getClassLoader().getResource(resource);
        if (config == null) {
            throw new IllegalStateException(resource + " is missing from the class path");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure the " + this + " log format from " + config, e);
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code human} or {@code json} (any case). */
    public static LogFormat parse(String value) {
        for (LogFormat format : values()) {
            if (format.toString().equalsIgnoreCase(value.strip())) {
                return format;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "': expected human or json");
    }
}
