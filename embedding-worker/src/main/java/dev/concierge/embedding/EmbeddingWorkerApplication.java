package dev.concierge.embedding;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class EmbeddingWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(EmbeddingWorkerApplication.class, args);
    }
}
