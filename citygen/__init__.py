"""Made-up data: the demo district (``seed_demo``) and a synthetic city at real scale (``generate_city``)."""
