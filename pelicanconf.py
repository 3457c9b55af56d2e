"""Settings for local work: relative URLs, so the site opens from any folder or local server."""

AUTHOR = "The briefing desk"
SITENAME = "Ukraine peace talks: the briefing"
SITESUBTITLE = "Who stands where on the 2025 peace-plan talks, day by day, every claim sourced"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
# Images and files that notes and pages show or link to, copied as they are (plugins/briefing/core/images.py).
STATIC_PATHS = ["images", "files"]
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"

THEME = "themes/briefing"
# Every template escapes what it prints: editors' and feeds' text can never become markup. HTML that
# is meant as HTML is marked safe where it is made (the cleaner's output, Pelican's content).
JINJA_ENVIRONMENT = {"autoescape": True}
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["briefing"]

# Briefings are articles at stable dated URLs; Pelican's archives group them by month and year.
ARTICLE_ORDER_BY = "reversed-date"
DEFAULT_PAGINATION = 10
YEAR_ARCHIVE_SAVE_AS = "briefings/{date:%Y}/index.html"
YEAR_ARCHIVE_URL = "briefings/{date:%Y}/"
MONTH_ARCHIVE_SAVE_AS = "briefings/{date:%Y}/{date:%m}/index.html"
MONTH_ARCHIVE_URL = "briefings/{date:%Y}/{date:%m}/"
ARCHIVES_SAVE_AS = "briefings/index.html"
# robots.txt, a 404 page and the search page are theme templates written once each.
DIRECT_TEMPLATES = ["index", "archives", "404", "robots", "search"]
ROBOTS_SAVE_AS = "robots.txt"
SEARCH_SAVE_AS = "search/index.html"
# sitemap.xml (plugins/briefing/site/sitemap.py): each page's lastmod is the date of its newest content.
SITEMAP = {
    "exclude": ["^404", "^search/", r"^robots\.txt$", r"\.opml$", r"^index\d+\.html$"],
    "priorities": {"articles": 0.8, "indexes": 0.6, "pages": 0.5},
    "changefreqs": {"articles": "weekly", "indexes": "daily", "pages": "monthly"},
}
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# The site has one language: a page's Lang never becomes part of a file name or an address.
PAGE_LANG_URL, PAGE_LANG_SAVE_AS = PAGE_URL, PAGE_SAVE_AS
# Briefings share one category and editors' tags; no separate pages for those.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""

# Subscribers' feeds: every briefing, whole (a feed reader shows the position table).
# Locally the feeds are served by `invoke serve`; publishconf.py points them at the real site.
FEED_DOMAIN = "http://127.0.0.1:8000"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
FEED_MAX_ITEMS = 50
RSS_FEED_SUMMARY_ONLY = False
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

# Pelican's content cache, and the plugin's cache of rendered briefings: a rebuild after an edit
# renders again only the briefings it changed. `invoke rebuild` ignores both (--ignore-cache).
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
