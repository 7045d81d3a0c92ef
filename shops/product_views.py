"""The products page: listing status, and editing a product's title, price and stock."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from lifecycle import selectors
from lifecycle.services import change_listing_status
from lifecycle.web import SandboxRequest, act, bad_input, confirm, page, sandbox_page
from shops.forms import ProductForm
from shops.models import ListingStatus, Product
from shops.services import edit_product as edit_product_service


def _products_page(request: SandboxRequest) -> HttpResponse:
    linked = selectors.linked_shop_ids(request.account)
    products = Product.objects.filter(account=request.account, shop_id__in=linked).select_related(
        "shop"
    )
    return page(
        request,
        "shops/products.html",
        {"nav": "products", "products": products, "linked": bool(linked)},
    )


products = sandbox_page(_products_page)


def _product(request: SandboxRequest, product_id: int) -> Product:
    return get_object_or_404(Product, pk=product_id, account=request.account)


@sandbox_page
def product_status(request: SandboxRequest, product_id: int) -> HttpResponse:
    product = _product(request, product_id)
    status = request.POST.get("status") or request.GET.get("status", "")
    back = reverse("products", args=[request.sandbox.pk])
    if request.method != "POST":
        return confirm(
            request,
            title=f"Remove “{product.title}” from your shop?",
            consequences=[
                "Customers can no longer see or buy it.",
                "The product and its order history are kept; you can list it again later.",
            ],
            button="Remove listing",
            cancel_url=back,
            hidden={"status": ListingStatus.REMOVED},
            context={"nav": "products"},
        )
    label = dict(ListingStatus.choices).get(status, status)
    return act(
        request,
        change_listing_status,
        product=product,
        status=status,
        done=f"{product.title}: {str(label).lower()}.",
        success_url=back,
        refused=lambda: _products_page(request),
    )


def _edit_page(request: SandboxRequest, product: Product, form: ProductForm) -> HttpResponse:
    return page(
        request,
        "shops/product_edit.html",
        {"nav": "products", "product": product, "form": form},
    )


@sandbox_page
def edit_product(request: SandboxRequest, product_id: int) -> HttpResponse:
    product = _product(request, product_id)
    if request.method != "POST":
        initial = {"title": product.title, "price": product.price, "stock": product.stock}
        return _edit_page(request, product, ProductForm(initial=initial))
    form = ProductForm(request.POST)
    if not form.is_valid():
        return bad_input(request, lambda: _edit_page(request, product, form))
    return act(
        request,
        edit_product_service,
        product=product,
        **form.cleaned_data,
        done=lambda edited: (
            f"{edited.title}: saved."
            + (
                " It is sold out: it has no stock."
                if edited.listing_status != product.listing_status
                else ""
            )
        ),
        success_url=reverse("products", args=[request.sandbox.pk]),
        refused=lambda: _edit_page(request, product, form),
    )
