"""Pages are shared between render processes by what they cost, not by where they are in the plan."""

from __future__ import annotations

from types import SimpleNamespace

from fitfocus.build.render import page_cost, share_by_cost
from fitfocus.pages.plan import PagePlan


def workout(items: int) -> SimpleNamespace:
    return SimpleNamespace(routine=SimpleNamespace(items=tuple(range(items))))


def post_page(number: int, characters: int, routines: int = 1) -> PagePlan:
    post = SimpleNamespace(body=SimpleNamespace(text="x" * characters))
    return PagePlan(f"posts/post-{number}/", "post.html",
                    {"post": post, "workouts": tuple(workout(6) for _ in range(routines))})


def card_page(number: int, items: int = 6) -> PagePlan:
    return PagePlan(f"cards/post-{number}/", "card.html", {"card": SimpleNamespace(workout=workout(items))})


def mode_page(number: int, items: int = 6) -> PagePlan:
    return PagePlan(f"posts/post-{number}/workout/", "workout.html", {"mode": SimpleNamespace(workout=workout(items))})


def balanced(shares: list[list[PagePlan]], plans: list[PagePlan]) -> float:
    """How far apart the shares' costs are, as a share of the dearest page."""
    totals = [sum(page_cost(plan) for plan in share) for share in shares]
    return (max(totals) - min(totals)) / max(page_cost(plan) for plan in plans)


def test_post_card_post_card_is_shared_so_both_processes_get_posts_and_cards() -> None:
    plans = [page for number in range(200) for page in (post_page(number, 4500), card_page(number))]
    first, second = share_by_cost(plans, 2)
    assert balanced([first, second], plans) <= 1.0
    for share in (first, second):
        assert sum(plan.template == "post.html" for plan in share) == 100
        assert sum(plan.template == "card.html" for plan in share) == 100


def test_posts_of_every_length_among_cards_and_workout_pages_are_shared_within_one_page() -> None:
    plans = []
    for number in range(300):
        plans += [post_page(number, 500 + number * 37 % 18000, 1 + number % 3), card_page(number, 3 + number % 9),
                  mode_page(number, 3 + number % 9)]
    shares = share_by_cost(plans, 2)
    assert balanced(shares, plans) <= 1.0
    assert balanced(share_by_cost(plans, 3), plans) <= 1.0


def test_each_share_keeps_the_plans_order_and_every_page_is_in_one_share() -> None:
    plans = [page for number in range(50) for page in (post_page(number, 100 * number), card_page(number))]
    shares = share_by_cost(plans, 2)
    for share in shares:
        assert share == sorted(share, key=plans.index)
    assert sorted((plan.path for share in shares for plan in share)) == sorted(plan.path for plan in plans)


def test_a_card_costs_less_than_its_post_and_more_with_more_moves() -> None:
    assert page_cost(card_page(1)) < page_cost(post_page(1, 4500))
    assert page_cost(card_page(1, items=3)) < page_cost(card_page(1, items=9))
    assert page_cost(mode_page(1)) > page_cost(card_page(1))
    assert page_cost(post_page(1, 9000)) > page_cost(post_page(1, 4500)) > page_cost(PagePlan("404.html", "404.html"))
