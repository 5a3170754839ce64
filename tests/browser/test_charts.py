"""Charts in Chromium: readable after a theme switch either way, in the page's own font, and laid
out for a phone with most of their height left to the plot."""

import pytest

from tests.browser.chromium import CONTRAST_FUNCTIONS, draw_charts, listing, theme_of
from tests.browser.conftest import SAMPLE_SLUGS, OpenPage
from tests.browser.test_theme import toggle

pytestmark = pytest.mark.browser

LATENCY_SLUG = "reading-the-latency-budget"  # a bar chart of five phases and two datasets
LEAST_CONTRAST = 3.0  # WCAG 1.4.11: text in a graphic, and the lines that make it readable

# Per chart: the contrast with the page of every colour the chart resolved for its text and grid.
OPTION_CONTRASTS = f"""canvases => {{ {CONTRAST_FUNCTIONS}
  const page = getComputedStyle(document.body).backgroundColor;
  return canvases.map(canvas => {{
    const chart = Chart.getChart(canvas);
    const colours = {{
      "title": chart.options.plugins.title.color,
      "legend": chart.options.plugins.legend.labels.color,
    }};
    for (const scale of Object.values(chart.scales)) {{
      colours[`${{scale.id}} ticks`] = scale.options.ticks.color;
      colours[`${{scale.id}} grid`] = scale.options.grid.color;
      colours[`${{scale.id}} title`] = scale.options.title.color;
    }}
    // The site's palette, on datasets whose author chose no colour, as each bar, point or slice
    // resolved it: a slice's fill (its border is the page, to part it from the next), a line's
    // stroke (its fill is translucent on purpose).
    const slices = ["pie", "doughnut", "polarArea"].includes(chart.config.type);
    const config = canvas.closest("figure").querySelector(".chart-config");
    const authored = JSON.parse(config.textContent);
    authored.data.datasets.forEach((dataset, i) => {{
      if (dataset.backgroundColor || dataset.borderColor) return;
      chart.getDatasetMeta(i).data.forEach((element, j) => {{
        colours[`dataset ${{i + 1}} value ${{j + 1}}`] =
          slices ? element.options.backgroundColor : element.options.borderColor;
      }});
    }});
    return Object.fromEntries(Object.entries(colours).map(([part, colour]) =>
      [`${{part}} ${{colour}}`, contrast(colour, page)]));
  }});
}}"""

# Per chart: the highest contrast any pixel reaches in each box of text (title, legend, each
# axis), composited over the page: that pixel is the text itself, whatever its anti-aliasing.
PIXEL_CONTRASTS = f"""canvases => {{ {CONTRAST_FUNCTIONS}
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  return canvases.map(canvas => {{
    const chart = Chart.getChart(canvas);
    const k = chart.currentDevicePixelRatio;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const best = box => {{
      let most = 1;
      for (let y = Math.max(0, Math.floor(box.top * k)); y < Math.min(canvas.height,
           box.bottom * k); y++) {{
        for (let x = Math.max(0, Math.floor(box.left * k)); x < Math.min(canvas.width,
             box.right * k); x++) {{
          const i = (y * canvas.width + x) * 4;
          if (pixels[i + 3] === 0) continue;
          most = Math.max(most, ratio(over([...pixels.slice(i, i + 4)], page), page));
        }}
      }}
      return most;
    }};
    const boxes = {{}};
    if (chart.options.plugins.title.display) boxes.title = chart.titleBlock;
    if (chart.options.plugins.legend.display) boxes.legend = chart.legend;
    for (const scale of Object.values(chart.scales)) boxes[`${{scale.id}} axis`] = scale;
    return Object.fromEntries(Object.entries(boxes).map(([part, box]) => [part, best(box)]));
  }});
}}"""


def weak(contrasts: list[dict[str, float]], kind: str) -> list[str]:
    return [
        f"chart {i + 1} {part} ({kind}): {value:.2f}:1"
        for i, parts in enumerate(contrasts)
        for part, value in parts.items()
        if not value >= LEAST_CONTRAST  # NaN too: a colour that could not be read
    ]


@pytest.mark.parametrize("start", ["light", "dark"])
@pytest.mark.parametrize("switch", ["toggle", "system"])
def test_after_a_theme_switch_every_chart_text_and_grid_colour_keeps_3_to_1(
    open_page: OpenPage, start: str, switch: str
):
    other = "dark" if start == "light" else "light"
    report = {}
    for slug in SAMPLE_SLUGS:
        opened = open_page(color_scheme=start)
        page = opened.page
        opened.goto(f"/insights/{slug}/")
        draw_charts(page)
        if switch == "toggle":
            toggle(page)
        else:
            page.emulate_media(color_scheme=other)
        page.wait_for_function("to => document.documentElement.dataset.theme === to", arg=other)
        canvases = page.locator("figure.chart canvas")
        report[slug] = weak(canvases.evaluate_all(OPTION_CONTRASTS), "resolved option")
        report[slug] += weak(canvases.evaluate_all(PIXEL_CONTRASTS), "pixels")
        assert theme_of(page) == other
    assert not any(report.values()), listing(report)


# Per chart: every font it draws text in, resolved as Chart.js draws it.
CHART_FONTS = """canvases => canvases.map(canvas => {
  const chart = Chart.getChart(canvas);
  const font = options => Chart.helpers.toFont(options);
  const fonts = {
    title: font(chart.options.plugins.title.font),
    legend: font(chart.options.plugins.legend.labels.font),
    tooltip: font(chart.options.plugins.tooltip.bodyFont),
  };
  for (const scale of Object.values(chart.scales)) {
    fonts[`${scale.id} ticks`] = font(scale.options.ticks.font);
    if (scale.options.title.display) fonts[`${scale.id} title`] = font(scale.options.title.font);
  }
  return Object.fromEntries(Object.entries(fonts).map(([part, f]) => [part, [f.family, f.size]]));
})"""


@pytest.mark.parametrize(("width", "smallest"), [(1280, 13), (360, 12)])
def test_chart_text_is_the_body_font_at_a_size_that_reads_as_part_of_the_page(
    open_page: OpenPage, width: int, smallest: int
):
    opened = open_page(viewport={"width": width, "height": 800})
    page = opened.page
    report = {}
    for slug in SAMPLE_SLUGS:
        opened.goto(f"/insights/{slug}/")
        draw_charts(page)
        body = page.evaluate("getComputedStyle(document.body).fontFamily")
        charts = page.locator("figure.chart canvas").evaluate_all(CHART_FONTS)
        report[slug] = [
            f"chart {i + 1} {part}: {size} px {family}"
            for i, fonts in enumerate(charts)
            for part, (family, size) in fonts.items()
            if family != body or size < smallest
        ]
    assert not any(report.values()), listing(report)


# The chart's layout: how much of its height the plot keeps, how far each axis turned its labels.
CHART_LAYOUT = """canvas => {
  const chart = Chart.getChart(canvas);
  return {
    plot: chart.chartArea.bottom - chart.chartArea.top,
    height: chart.height,
    width: chart.width,
    rotations: Object.values(chart.scales).map(scale => scale.labelRotation || 0),
    title: chart.options.plugins.title.text,
    titleWidth: chart.titleBlock.width,
    datasets: chart.data.datasets.length,
    categories: (chart.data.labels || []).length,
  };
}"""


def test_a_two_dataset_bar_chart_of_five_categories_on_a_phone_keeps_half_its_height_for_the_plot(
    open_page: OpenPage,
):
    opened = open_page(viewport={"width": 360, "height": 800})
    opened.goto(f"/insights/{LATENCY_SLUG}/")
    draw_charts(opened.page)
    layout = opened.page.locator("figure.chart canvas").evaluate(CHART_LAYOUT)

    assert (layout["datasets"], layout["categories"]) == (2, 5)
    assert layout["plot"] >= layout["height"] / 2, layout
    assert layout["rotations"] == [0, 0], layout
    assert isinstance(layout["title"], list) and len(layout["title"]) > 1, layout  # it wraps


def test_on_a_phone_every_chart_keeps_its_plot_level_labels_and_titles_inside(
    open_page: OpenPage,
):
    opened = open_page(viewport={"width": 360, "height": 800})
    report = {}
    for slug in SAMPLE_SLUGS:
        opened.goto(f"/insights/{slug}/")
        draw_charts(opened.page)
        layouts = opened.page.locator("figure.chart canvas").evaluate_all(
            f"canvases => canvases.map({CHART_LAYOUT})"
        )
        report[slug] = [
            f"chart {i + 1}: {layout}"
            for i, layout in enumerate(layouts)
            if layout["plot"] < layout["height"] / 2
            or any(layout["rotations"])
            or layout["titleWidth"] > layout["width"]
        ]
    assert not any(report.values()), listing(report)


def test_an_open_data_table_scrolls_inside_itself_on_a_phone(open_page: OpenPage):
    opened = open_page(viewport={"width": 360, "height": 800})
    page = opened.page
    opened.goto(f"/insights/{LATENCY_SLUG}/")
    draw_charts(page)
    page.locator("details.chart-data summary").click()
    box = page.locator("details.chart-data .table-scroll")

    assert box.evaluate("box => getComputedStyle(box).overflowX") == "auto"
    assert box.evaluate("box => box.getBoundingClientRect().right") <= 360
    assert page.evaluate("document.scrollingElement.scrollWidth") == 360
    cells = page.locator("details.chart-data td")
    assert cells.first.evaluate("td => getComputedStyle(td).textAlign") == "right"
    assert cells.first.evaluate("td => getComputedStyle(td).fontVariantNumeric") == "tabular-nums"


REQUEST_SLUG = "how-a-request-reaches-the-model"  # a table headed "Share of request time (%)"
# Each value cell's edges against those of the box it scrolls in.
OUTSIDE = """box => {
  const edge = box.getBoundingClientRect();
  return [...box.querySelectorAll("td")]
    .map(td => [td.textContent, td.getBoundingClientRect()])
    .filter(([, cell]) => cell.left < edge.left - 0.5 || cell.right > edge.right + 0.5)
    .map(([text, cell]) => `${text}: ${cell.left}-${cell.right} not in ${edge.left}-${edge.right}`);
}"""


def test_on_a_phone_every_value_of_a_data_table_is_in_view(open_page: OpenPage):
    opened = open_page(viewport={"width": 360, "height": 800})
    page = opened.page
    opened.goto(f"/insights/{REQUEST_SLUG}/")
    draw_charts(page)
    details = page.locator("details.chart-data").first
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    box = details.locator(".table-scroll")

    assert box.locator("td").count() > 0
    assert box.evaluate(OUTSIDE) == []


def test_a_data_tables_value_headings_align_with_their_numbers(watched_page):
    watched_page.goto(f"/insights/{LATENCY_SLUG}/")
    headings = watched_page.page.locator("details.chart-data").first.locator("thead th")
    aligns = headings.evaluate_all("ths => ths.map(th => getComputedStyle(th).textAlign)")

    assert len(aligns) > 1
    assert aligns[0] == "left"  # the labels' column
    assert set(aligns[1:]) == {"right"}, aligns
