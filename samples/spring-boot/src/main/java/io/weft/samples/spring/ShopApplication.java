package io.weft.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A shop front that asks the {@code orders} service for items. Nothing here knows about the mesh: the RestClient
 * comes from Boot's builder, which the Weft starter has put in the mesh, so {@code http://orders} is balanced, routed
 * and retried as mesh/orders.yaml says.
 */
@SpringBootApplication
public class ShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }

    @RestController
    static class ItemsController {

        private final RestClient orders;

        ItemsController(RestClient.Builder builder) {
            this.orders = builder.baseUrl("http://orders").build();
        }

        /** What orders answered; a tester's {@code x-beta: true} is passed on (the mesh routes it to v2). */
        @GetMapping("/items")
        String items(@RequestHeader(name = "x-beta", required = false) String beta) {
            return orders.get().uri("/api/items")
                    .headers(h -> {
                        if (beta != null) {
                            h.set("x-beta", beta);
                        }
                    })
                    .retrieve().body(String.class);
        }
    }
}
