from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Benchmark the consolidated reports on a synthetic province (rolled back afterwards): gathering vs "
            "HTML vs WeasyPrint vs XLSX times, query counts and peak memory.")

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=1000, help="Agencies in the synthetic province.")
        parser.add_argument("--national", type=int, default=0,
                            help="Also the national roll-up over this many agencies in all (e.g. 20000).")

    def handle(self, *args, **options):
        from reports.benchmark import run

        run(agencies=options["agencies"], national=options["national"], out=self.stdout.write)
