"""Row URLs reversed once per page (lifecycle.rows) are the URLs `{% url %}` gives per row."""

import pytest
from django.template import engines
from django.urls import reverse

from lifecycle.rows import RowUrl


@pytest.mark.parametrize("name", ["ship_order", "cancel_order", "order_detail", "edit_product"])
@pytest.mark.parametrize("pk", [1, 7, 42, 2147483645])
def test_a_row_url_is_the_reversed_url_of_that_row(name, pk):
    assert RowUrl.of(name, 3).for_id(pk) == reverse(name, args=[3, pk])


def test_a_url_where_the_placeholder_id_is_not_only_the_rows_is_refused():
    with pytest.raises(ValueError, match="is not once in"):
        RowUrl.of("ship_order", 2147483646)  # the sandbox's id is the placeholder too


def test_the_template_tag_and_filter_write_each_rows_url():
    template = engines["django"].from_string(
        "{% row_url 'ship_order' 5 as ship %}{% for pk in ids %}{{ ship|for_row:pk }} {% endfor %}"
    )
    assert template.render({"ids": [1, 22]}).split() == [
        reverse("ship_order", args=[5, 1]),
        reverse("ship_order", args=[5, 22]),
    ]
