# АӘК-тен басқа жәрдемақы бағдарламалары (қазақша). core/src/rules/programmes/ ішіндегі әр файлға бір бөлім.

## Бала туу (programmes/childbirth.rs)

childbirth-step-newborn = { $member } { $born } күні туған.
childbirth-step-order = { $member } — отбасындағы { $order }-бала.
childbirth-step-amount = Біржолғы жәрдемақы: { $coefficient } АЕК × { $mrp } = { $amount }.
childbirth-flag-order-counts-all-children = Ананың барлық балалары, оның ішінде бөлек тұратындары да есептеледі: бұл оның 4-баласы немесе одан кейінгісі болса, жәрдемақы { $later } АЕК болады.
