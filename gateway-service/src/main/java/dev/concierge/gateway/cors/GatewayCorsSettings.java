package dev.concierge.gateway.cors;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Leaves CORS to {@link TenantCorsFilter}. Spring Cloud Gateway would otherwise apply its global CORS
 * ({@code spring.cloud.gateway.server.webflux.globalcors}, route {@code cors} metadata) to routed requests: with
 * any such configuration present it could refuse a request from a tenant's allowed origin (403 with no problem
 * body) or add headers of its own. Its route handler mapping gets a CORS processor that does nothing, so such
 * settings cannot interfere. (Preflights never reach it: the filter answers them all.)
 */
@Configuration(proxyBeanMethods = false)
class GatewayCorsSettings {

    @Bean
    static BeanPostProcessor gatewayCorsOff() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RoutePredicateHandlerMapping mapping) {
                    mapping.setCorsProcessor((configuration, exchange) -> true);
                }
                return bean;
            }
        };
    }
}
